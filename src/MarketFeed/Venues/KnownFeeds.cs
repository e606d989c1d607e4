using MarketFeed.Feeds;
using MarketFeed.Simulation;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Venues;

/// <summary>Every feed this build ships, by name: the simulator and each venue adapter.</summary>
public static class KnownFeeds
{
    public static FeedCatalog Catalog { get; } = new FeedCatalog()
        .Add(new SimulatorFeedFactory())
        .Add(new KiteFeedFactory());
}
