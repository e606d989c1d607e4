using MarketFeed.Books;
using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Taps;

/// <summary>One event of the firehose: a tick, a candle close, a candle revision or a book change (the other fields are default).</summary>
public struct FirehoseEvent
{
    // Internal fields (not properties) so the ring can hand them out by reference from their slot.
    internal Tick TickField;
    internal CandleEvent CandleField;
    // A revision is CandleField (the new bar, its series and seq) plus the bar it replaced.
    internal Candles.Candle PreviousField;
    internal bool HasPrevious;
    // A book change: the header in TickField (instrument, venue sequence = last update id, times, source), the levels in
    // an array of the slot's own (bids first), allocated the first time the slot carries a book and reused after.
    internal BookLevelChange[]? LevelsField;
    internal int BidCountField;
    internal int AskCountField;

    public FirehoseEventKind Kind { get; private set; }

    public readonly Tick Tick => TickField;

    public readonly CandleEvent Candle => CandleField;

    /// <summary>The revision, when <see cref="Kind"/> is <see cref="FirehoseEventKind.CandleRevised"/>.</summary>
    public readonly CandleRevision Revision => AsRevision();

    /// <summary>The book change, when <see cref="Kind"/> is <see cref="FirehoseEventKind.Book"/> (its spans valid while the event is).</summary>
    public readonly FirehoseBook Book => AsBook();

    public readonly InstrumentId Instrument => Kind is FirehoseEventKind.Tick or FirehoseEventKind.Book ? Tick.Instrument : Candle.Instrument;

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

    internal void SetBook(OrderBook book, int depth, TickSource source)
    {
        Kind = FirehoseEventKind.Book;
        int bids = Math.Min(depth, book.Bids.Count);
        int asks = Math.Min(depth, book.Asks.Count);
        if (LevelsField is null || LevelsField.Length < bids + asks)
        {
            LevelsField = new BookLevelChange[Math.Max(2 * depth, bids + asks)];
        }

        for (int i = 0; i < bids; i++)
        {
            LevelsField[i] = new BookLevelChange(book.Bids.PriceAt(i), book.Bids.QuantityAt(i));
        }

        for (int i = 0; i < asks; i++)
        {
            LevelsField[bids + i] = new BookLevelChange(book.Asks.PriceAt(i), book.Asks.QuantityAt(i));
        }

        (BidCountField, AskCountField) = (bids, asks);
        TickField = new Tick(book.Instrument)
        {
            VenueSequence = book.LastUpdateId,
            ExchangeTime = book.ExchangeTime,
            ReceiveTime = book.ReceiveTime,
            Source = source,
        };
    }

    internal readonly FirehoseBook AsBook()
    {
        ReadOnlySpan<BookLevelChange> levels = LevelsField is null || Kind != FirehoseEventKind.Book ? default : LevelsField.AsSpan(0, BidCountField + AskCountField);
        return new FirehoseBook(TickField.Instrument, TickField.VenueSequence, TickField.ExchangeTime, TickField.ReceiveTime, TickField.Source, levels[..BidCountField], levels[BidCountField..]);
    }

    /// <summary>The same event with book levels of its own (a copy read out of the ring must not share the slot's array).</summary>
    internal readonly FirehoseEvent Detached()
    {
        FirehoseEvent copy = this;
        if (Kind == FirehoseEventKind.Book && LevelsField is not null)
        {
            copy.LevelsField = LevelsField.AsSpan(0, BidCountField + AskCountField).ToArray();
        }

        return copy;
    }
}
