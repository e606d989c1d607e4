using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Kraken;

public sealed class KrakenFeedFactory : IFeedFactory
{
    public string Name => "kraken";

    public string Description => "Kraken Spot WebSocket v2 public market data: trades, tickers, checksummed books (configuration section Kraken)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new KrakenFeed(configuration, time);
}
