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
}
