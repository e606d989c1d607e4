using MarketFeed.Candles;

namespace MarketFeed.Hub;

/// <summary>Closed candles (oldest first) and the forming one, copied out of a series by its partition.</summary>
public sealed record CandleSnapshot(CandleInterval Interval, IReadOnlyList<Candle> Closed, Candle? Current, long Seq = 0)
{
    public static CandleSnapshot Empty(CandleInterval interval) => new(interval, [], null);
}
