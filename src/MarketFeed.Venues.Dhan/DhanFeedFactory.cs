using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Dhan;

public sealed class DhanFeedFactory : IFeedFactory
{
    public string Name => "dhan";

    public string Description => "DhanHQ v2 market feed, 20-level depth and REST (configuration section Dhan)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new DhanFeed(configuration, time);
}
