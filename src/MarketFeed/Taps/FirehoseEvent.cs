using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>One event of the firehose: a tick or a candle close (the other field is default).</summary>
public struct FirehoseEvent
{
    // Internal fields (not properties) so the ring can hand them out by reference from their slot.
    internal Tick TickField;
    internal CandleEvent CandleField;

    public FirehoseEventKind Kind { get; private set; }

    public readonly Tick Tick => TickField;

    public readonly CandleEvent Candle => CandleField;

    public readonly InstrumentId Instrument => Kind == FirehoseEventKind.Tick ? Tick.Instrument : Candle.Instrument;

    internal void SetTick(in Tick tick)
    {
        Kind = FirehoseEventKind.Tick;
        TickField = tick;
    }

    internal void SetCandle(in CandleEvent candle)
    {
        Kind = FirehoseEventKind.CandleClosed;
        CandleField = candle;
    }
}
