using MarketFeed.Emulators;
using MarketFeed.Feeds;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub as a venue package: feed, emulator and fuzz rig. The emulator half is in <c>FinnhubModule.Emulator.cs</c>,
/// so the adapter builds on its own.
/// </summary>
public sealed partial class FinnhubModule : IVenueModule
{
    public string Venue => "finnhub";

    public IFeedFactory Feed { get; } = new FinnhubFeedFactory();
}
