using MarketFeed.Model;

namespace MarketFeed.Candles;

/// <summary>
/// One OHLCV bar, [<see cref="Start"/>, <see cref="End"/>) in UTC. <see cref="End"/> is the next boundary, or the
/// session close for the clipped last bar of a session. 64 bytes, stored by value in the history ring.
/// </summary>
public readonly record struct Candle(
    DateTime Start,
    DateTime End,
    Price Open,
    Price High,
    Price Low,
    Price Close,
    Quantity Volume,
    int Ticks,
    CandleFlags Flags)
{
    public bool IsClosed => (Flags & CandleFlags.Closed) != 0;

    public bool IsFlat => (Flags & CandleFlags.Flat) != 0;

    public bool IsPartial => (Flags & CandleFlags.Partial) != 0;

    /// <summary>Where the bar came from; a backfilled or revised bar says so even when it was later loaded as history.</summary>
    public CandleOrigin Origin =>
        (Flags & CandleFlags.Backfilled) != 0 ? CandleOrigin.Backfilled
        : (Flags & CandleFlags.Revised) != 0 ? CandleOrigin.Revised
        : (Flags & CandleFlags.History) != 0 ? CandleOrigin.History
        : CandleOrigin.Live;

    /// <summary>The lower-case name of <see cref="Origin"/> (<c>live</c>, <c>history</c>, <c>revised</c>, <c>backfilled</c>).</summary>
    public string OriginName => Origin switch
    {
        CandleOrigin.History => "history",
        CandleOrigin.Revised => "revised",
        CandleOrigin.Backfilled => "backfilled",
        _ => "live",
    };
}
