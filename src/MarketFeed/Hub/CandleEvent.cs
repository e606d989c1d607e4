using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// A candle of one instrument and interval: the forming bar after a tick, or a bar that just closed. <see cref="Seq"/>
/// rises by one per event of that series (updates are conflated for slow consumers; closes are never dropped).
/// </summary>
public readonly record struct CandleEvent(InstrumentId Instrument, CandleInterval Interval, Candle Candle, long Seq)
{
    public bool IsClose => Candle.IsClosed;
}
