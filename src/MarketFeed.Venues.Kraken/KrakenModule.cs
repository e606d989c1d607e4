using MarketFeed.Emulators;
using MarketFeed.Feeds;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken Spot (WebSocket v2) as a venue package: feed, emulator and fuzz rig. The emulator half is in
/// <c>KrakenModule.Emulator.cs</c>, so the adapter builds on its own.
/// </summary>
public sealed partial class KrakenModule : IVenueModule
{
    public string Venue => "kraken";

    public IFeedFactory Feed { get; } = new KrakenFeedFactory();
}
