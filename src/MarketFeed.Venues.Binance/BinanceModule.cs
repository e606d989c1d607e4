using MarketFeed.Emulators;
using MarketFeed.Feeds;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance Spot as a venue package: feed, emulator and fuzz rig. The emulator half is in
/// <c>BinanceModule.Emulator.cs</c>, so the adapter builds on its own.
/// </summary>
public sealed partial class BinanceModule : IVenueModule
{
    public string Venue => "binance";

    public IFeedFactory Feed { get; } = new BinanceFeedFactory();
}
