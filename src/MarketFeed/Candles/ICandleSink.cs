namespace MarketFeed.Candles;

/// <summary>Receives candle events from <see cref="CandleSeries"/>; the hub's partition implements it to fan them out.</summary>
public interface ICandleSink
{
    /// <summary>The forming candle of <paramref name="series"/> changed (a tick was merged); <see cref="CandleSeries.Sequence"/> numbers the event.</summary>
    void OnCandleUpdated(CandleSeries series, in Candle candle);

    /// <summary>A candle of <paramref name="series"/> closed; it is already in the series' history.</summary>
    void OnCandleClosed(CandleSeries series, in Candle candle);
}
