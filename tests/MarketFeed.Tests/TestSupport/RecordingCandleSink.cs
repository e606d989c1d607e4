using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Tests.TestSupport;

/// <summary>Keeps every candle event, in order, for assertions.</summary>
internal sealed class RecordingCandleSink : ICandleSink
{
    public List<(CandleInterval Interval, Candle Candle)> Updates { get; } = [];

    public List<(CandleInterval Interval, Candle Candle)> Closes { get; } = [];

    public IEnumerable<Candle> ClosedOf(CandleInterval interval) => Closes.Where(c => c.Interval == interval).Select(c => c.Candle);

    public void OnCandleUpdated(CandleSeries series, in Candle candle) => Updates.Add((series.Interval, candle));

    public void OnCandleClosed(CandleSeries series, in Candle candle) => Closes.Add((series.Interval, candle));
}
