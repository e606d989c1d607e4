using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>One event of the firehose: a tick or a candle close (the other field is default).</summary>
public readonly struct FirehoseEvent
{
    private FirehoseEvent(FirehoseEventKind kind, in Tick tick, in CandleEvent candle)
    {
        Kind = kind;
        Tick = tick;
        Candle = candle;
    }

    public FirehoseEventKind Kind { get; }

    public Tick Tick { get; }

    public CandleEvent Candle { get; }

    public InstrumentId Instrument => Kind == FirehoseEventKind.Tick ? Tick.Instrument : Candle.Instrument;

    internal static FirehoseEvent ForTick(in Tick tick) => new(FirehoseEventKind.Tick, in tick, default);

    internal static FirehoseEvent ForCandle(in CandleEvent candle) => new(FirehoseEventKind.CandleClosed, default, in candle);
}
