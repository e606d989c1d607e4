using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>One event of the firehose: a tick, a candle close or a candle revision (the other fields are default).</summary>
public struct FirehoseEvent
{
    // Internal fields (not properties) so the ring can hand them out by reference from their slot.
    internal Tick TickField;
    internal CandleEvent CandleField;
    // A revision is CandleField (the new bar, its series and seq) plus the bar it replaced.
    internal Candles.Candle PreviousField;
    internal bool HasPrevious;

    public FirehoseEventKind Kind { get; private set; }

    public readonly Tick Tick => TickField;

    public readonly CandleEvent Candle => CandleField;

    /// <summary>The revision, when <see cref="Kind"/> is <see cref="FirehoseEventKind.CandleRevised"/>.</summary>
    public readonly CandleRevision Revision => AsRevision();

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

    internal void SetRevision(in CandleRevision revision)
    {
        Kind = FirehoseEventKind.CandleRevised;
        CandleField = new CandleEvent(revision.Instrument, revision.Interval, revision.New, revision.Seq);
        HasPrevious = revision.Old.HasValue;
        PreviousField = revision.Old.GetValueOrDefault();
    }

    internal readonly CandleRevision AsRevision() =>
        new(CandleField.Instrument, CandleField.Interval, HasPrevious ? PreviousField : null, CandleField.Candle, CandleField.Seq);
}
