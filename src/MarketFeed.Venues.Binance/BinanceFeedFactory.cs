using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Binance;

public sealed class BinanceFeedFactory : IFeedFactory
{
    public string Name => "binance";

    public string Description => "Binance Spot public market data: trades, book tickers, diff depth (configuration section Binance)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new BinanceFeed(configuration, time);
}
