using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// One book message from a venue, normalized: a snapshot (the whole book) or a diff (changed levels only), with the
/// venue's continuity data — update ids, a sequence number, a checksum — for the instrument's
/// <see cref="IBookContinuity"/> to judge. Instances are pooled (<see cref="Rent"/> / <see cref="Return"/>): the
/// level arrays grow to the largest message seen and are reused, so steady-state decoding allocates nothing.
/// </summary>
public sealed class BookUpdate
{
    private static readonly System.Collections.Concurrent.ConcurrentBag<BookUpdate> s_pool = [];

    private BookLevelChange[] _bids = new BookLevelChange[32];
    private BookLevelChange[] _asks = new BookLevelChange[32];

    public InstrumentId Instrument { get; set; }

    public bool IsSnapshot { get; set; }

    /// <summary>First venue update id this message covers (Binance <c>U</c>; for a snapshot, its <c>lastUpdateId</c>).</summary>
    public long FirstUpdateId { get; set; }

    /// <summary>Last venue update id this message covers (Binance <c>u</c>, a sequence number, or 0 when the venue has none).</summary>
    public long LastUpdateId { get; set; }

    /// <summary>The venue's checksum of the book after this message, when it sends one.</summary>
    public uint? Checksum { get; set; }

    public DateTime ExchangeTime { get; set; }

    /// <summary>How the venue's book messages chain (set by its decoder); <see cref="UpdateIdContinuity"/> when not set.</summary>
    public IBookContinuity? Continuity { get; set; }

    public DateTime ReceiveTime { get; set; }

    public TickSource Source { get; set; }

    /// <summary>
    /// A copy of a book another gateway built (the bus): applied as a snapshot without counting a resync, and no
    /// top-of-book tick is derived from it here, because the producer's own tick for the same change arrives beside it.
    /// </summary>
    public bool Replicated { get; set; }

    public int BidCount { get; private set; }

    public int AskCount { get; private set; }

    public ReadOnlySpan<BookLevelChange> Bids => _bids.AsSpan(0, BidCount);

    public ReadOnlySpan<BookLevelChange> Asks => _asks.AsSpan(0, AskCount);

    /// <summary>A cleared instance from the pool (or a new one).</summary>
    public static BookUpdate Rent() => s_pool.TryTake(out BookUpdate? update) ? update : new BookUpdate();

    /// <summary>Gives the instance back once applied; it must not be touched afterwards.</summary>
    public static void Return(BookUpdate update)
    {
        update.Clear();
        s_pool.Add(update);
    }

    public void Clear()
    {
        Instrument = default;
        IsSnapshot = false;
        FirstUpdateId = 0;
        LastUpdateId = 0;
        Checksum = null;
        Continuity = null;
        ExchangeTime = default;
        ReceiveTime = default;
        Source = TickSource.Stream;
        Replicated = false;
        BidCount = 0;
        AskCount = 0;
    }

    public void AddBid(Price price, Quantity quantity) => Add(ref _bids, BidCount++, price, quantity);

    public void AddAsk(Price price, Quantity quantity) => Add(ref _asks, AskCount++, price, quantity);

    /// <summary>Copies everything into <paramref name="target"/> (used when a message must be kept while the book resyncs).</summary>
    public void CopyTo(BookUpdate target)
    {
        target.Clear();
        target.Instrument = Instrument;
        target.IsSnapshot = IsSnapshot;
        target.FirstUpdateId = FirstUpdateId;
        target.LastUpdateId = LastUpdateId;
        target.Checksum = Checksum;
        target.Continuity = Continuity;
        target.ExchangeTime = ExchangeTime;
        target.ReceiveTime = ReceiveTime;
        target.Source = Source;
        foreach (BookLevelChange bid in Bids)
        {
            target.AddBid(bid.Price, bid.Quantity);
        }

        foreach (BookLevelChange ask in Asks)
        {
            target.AddAsk(ask.Price, ask.Quantity);
        }
    }

    private static void Add(ref BookLevelChange[] levels, int index, Price price, Quantity quantity)
    {
        if (index == levels.Length)
        {
            Array.Resize(ref levels, levels.Length * 2);
        }

        levels[index] = new BookLevelChange(price, quantity);
    }
}
