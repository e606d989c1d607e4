using MarketFeed.Bus.Consuming;
using MarketFeed.Emulators;
using MarketFeed.Feeds;
using MarketFeed.Simulation;
using MarketFeed.Venues.Binance;
using MarketFeed.Venues.Coinbase;
using MarketFeed.Venues.Dhan;
using MarketFeed.Venues.Finnhub;
using MarketFeed.Venues.Kite;
using MarketFeed.Venues.Kraken;
using MarketFeed.Venues.Upstox;

namespace MarketFeed.Venues;

/// <summary>Every venue package this build ships, and the feed catalog they make with the simulator.</summary>
public static class KnownVenues
{
    public static IReadOnlyList<IVenueModule> Modules { get; } = [new KiteModule(), new BinanceModule(), new DhanModule(), new UpstoxModule(), new FinnhubModule(), new CoinbaseModule(), new KrakenModule()];

    /// <summary>The simulator, every venue's feed and the message bus (<c>bus</c>), by name (<c>--feed NAME</c>).</summary>
    public static FeedCatalog Catalog { get; } = Modules.Aggregate(new FeedCatalog().Add(new SimulatorFeedFactory()), (catalog, module) => catalog.Add(module.Feed)).Add(new BusFeedFactory());

    public static IReadOnlyCollection<string> Names => [.. Modules.Select(m => m.Venue).Order()];

    public static IVenueModule? Find(string venue) => Modules.FirstOrDefault(m => string.Equals(m.Venue, venue, StringComparison.OrdinalIgnoreCase));
}
