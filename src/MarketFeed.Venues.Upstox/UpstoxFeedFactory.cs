using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Upstox;

public sealed class UpstoxFeedFactory : IFeedFactory
{
    public string Name => "upstox";

    public string Description => "Upstox market data feed v3, protobuf (configuration section Upstox)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new UpstoxFeed(configuration, time);
}
