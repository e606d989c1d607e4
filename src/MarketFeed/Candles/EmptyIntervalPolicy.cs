namespace MarketFeed.Candles;

/// <summary>What to do with an interval in which no tick arrived.</summary>
public enum EmptyIntervalPolicy
{
    /// <summary>Emit nothing: the series has a hole (default; no invented data).</summary>
    Skip,

    /// <summary>
    /// Emit a closed flat bar (O=H=L=C=previous close, volume 0, <see cref="CandleFlags.Flat"/>), only inside the
    /// session and only after the session's first real tick.
    /// </summary>
    FlatFromPreviousClose,
}
