using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>One event of the firehose: a tick or a candle close (the other field is default).</summary>
public struct FirehoseEvent
{
    public FirehoseEventKind Kind { get; private set; }

    public Tick Tick { get; private set; }

    public CandleEvent Candle { get; private set; }

    public readonly InstrumentId Instrument => Kind == FirehoseEventKind.Tick ? Tick.Instrument : Candle.Instrument;

    internal void SetTick(in Tick tick)
    {
        Kind = FirehoseEventKind.Tick;
        Tick = tick;
    }

    internal void SetCandle(in CandleEvent candle)
    {
        Kind = FirehoseEventKind.CandleClosed;
        Candle = candle;
    }
}
