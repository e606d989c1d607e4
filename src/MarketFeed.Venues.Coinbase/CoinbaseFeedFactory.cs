using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Coinbase;

public sealed class CoinbaseFeedFactory : IFeedFactory
{
    public string Name => "coinbase";

    public string Description => "Coinbase Advanced Trade public market data: trades, tickers, level2 books (configuration section Coinbase)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new CoinbaseFeed(configuration, time);
}
