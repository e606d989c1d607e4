using MarketFeed.Emulators;
using MarketFeed.Feeds;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase Advanced Trade as a venue package: feed, emulator and fuzz rig. The emulator half is in
/// <c>CoinbaseModule.Emulator.cs</c>, so the adapter builds on its own.
/// </summary>
public sealed partial class CoinbaseModule : IVenueModule
{
    public string Venue => "coinbase";

    public IFeedFactory Feed { get; } = new CoinbaseFeedFactory();
}
