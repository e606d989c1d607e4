using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Kite;

public sealed class KiteFeedFactory : IFeedFactory
{
    public string Name => "kite";

    public string Description => "Zerodha Kite Connect ticker (configuration section Kite)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new KiteFeed(configuration, time);
}
