namespace MarketFeed.Candles;

[Flags]
public enum CandleFlags
{
    None = 0,

    /// <summary>The interval has ended; the candle will not change again.</summary>
    Closed = 1 << 0,

    /// <summary>No tick arrived in the interval: O=H=L=C=previous close, volume 0 (empty-interval policy "flat").</summary>
    Flat = 1 << 1,

    /// <summary>Seeded from venue history rather than built from live ticks.</summary>
    History = 1 << 2,
}
