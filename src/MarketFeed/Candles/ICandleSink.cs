using MarketFeed.Model;

namespace MarketFeed.Candles;

/// <summary>Receives candle events from <see cref="CandleSeries"/>; the hub's partition implements it to fan them out.</summary>
public interface ICandleSink
{
    /// <summary>The forming candle changed (a tick was merged).</summary>
    void OnCandleUpdated(InstrumentId instrument, CandleInterval interval, in Candle candle);

    /// <summary>A candle closed; it is already in the series' history.</summary>
    void OnCandleClosed(InstrumentId instrument, CandleInterval interval, in Candle candle);
}
