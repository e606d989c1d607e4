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

    /// <summary>
    /// The series started inside this interval (the instrument was first watched, or the timeframe first asked for,
    /// after the bar began): the bar holds only what arrived since, not the whole interval.
    /// </summary>
    Partial = 1 << 3,

    /// <summary>
    /// A live bar replaced after it closed, because the venue's official candle for the interval differs from it
    /// (reconciliation). Consumers receive the new values as a revision of the bar, never as a new close.
    /// </summary>
    Revised = 1 << 4,

    /// <summary>
    /// A bar the gateway did not see live (the stream was down, the feed was polling, the gateway was stopped),
    /// fetched from the venue's history afterwards and inserted in order; delivered as a revision.
    /// </summary>
    Backfilled = 1 << 5,
}
