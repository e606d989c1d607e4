using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>A candle of one instrument and interval: the forming bar after a tick, or a bar that just closed.</summary>
public readonly record struct CandleEvent(InstrumentId Instrument, CandleInterval Interval, Candle Candle)
{
    public bool IsClose => Candle.IsClosed;
}
