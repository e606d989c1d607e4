using MarketFeed.Candles;

namespace MarketFeed.Hub;

/// <summary>Where one series' bars came from: how many it holds of each origin, and how its bootstrap went (null when it had none).</summary>
public sealed record CandleSeriesStatus(CandleInterval Interval, IReadOnlyDictionary<CandleOrigin, int> Origins, SeriesLoadStatus? Load)
{
    public int CountOf(CandleOrigin origin) => Origins.GetValueOrDefault(origin);
}
