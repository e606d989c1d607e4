using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Finnhub;

public sealed class FinnhubFeedFactory : IFeedFactory
{
    public string Name => "finnhub";

    public string Description => "Finnhub real-time trades for US stocks, forex and crypto, /quote polling (configuration section Finnhub; needs Finnhub:Token)";

    public IFeed Create(IConfiguration configuration, TimeProvider time) => new FinnhubFeed(configuration, time);
}
