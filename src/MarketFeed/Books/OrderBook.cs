using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// The L2 book of one instrument, kept from a snapshot plus diffs. The venue's <see cref="IBookContinuity"/> says
/// whether each diff is next in line; on a gap or a failed check the book goes <see cref="BookState.Resyncing"/>,
/// keeps the diffs that follow, and when a snapshot arrives replays them through the same check (Binance's documented
/// procedure, venue-neutral). Single writer: the instrument's hub partition; readers get copies from it.
/// </summary>
public sealed class OrderBook
{
    private readonly BookOptions _options;
    private readonly IBookContinuity _continuity;
    private readonly Queue<BookUpdate> _pending = new();

    public OrderBook(InstrumentId instrument, BookOptions options, IBookContinuity continuity)
    {
        Instrument = instrument;
        _options = options;
        _continuity = continuity;
        Bids = new BookSide(bids: true, options.LevelsKept);
        Asks = new BookSide(bids: false, options.LevelsKept);
    }

    public InstrumentId Instrument { get; }

    public BookSide Bids { get; }

    public BookSide Asks { get; }

    public BookState State { get; private set; } = BookState.Resyncing;

    /// <summary>The venue update id the book reflects (0 for venues without ids).</summary>
    public long LastUpdateId { get; private set; }

    /// <summary>+1 per applied snapshot or diff: what clients use to detect a lost book message.</summary>
    public long Sequence { get; private set; }

    public DateTime ExchangeTime { get; private set; }

    public DateTime ReceiveTime { get; private set; }

    /// <summary>Diffs that skipped past the book (each starts a resync).</summary>
    public long Gaps { get; private set; }

    /// <summary>Snapshots applied after the first, i.e. completed resyncs.</summary>
    public long Resyncs { get; private set; }

    public long ChecksumFailures { get; private set; }

    /// <summary>Diffs already covered by the book, skipped.</summary>
    public long StaleDiffs { get; private set; }

    /// <summary>Snapshots applied (the first one included).</summary>
    public long Snapshots { get; private set; }

    public int Pending => _pending.Count;

    /// <summary>Applies a snapshot or a diff. The caller keeps ownership of <paramref name="update"/>.</summary>
    public BookApplyResult Apply(BookUpdate update)
    {
        if (update.IsSnapshot)
        {
            return ApplySnapshot(update);
        }

        if (State == BookState.Resyncing)
        {
            return Keep(update);
        }

        switch (_continuity.Admit(this, update))
        {
            case ContinuityVerdict.Stale:
                StaleDiffs++;
                return BookApplyResult.Skipped;
            case ContinuityVerdict.Gap:
                Gaps++;
                StartResync();
                Keep(update);
                return BookApplyResult.ResyncNeeded;
        }

        ApplyLevels(update);
        if (!_continuity.Verify(this, update))
        {
            ChecksumFailures++;
            StartResync();
            return BookApplyResult.ResyncNeeded;
        }

        return BookApplyResult.Applied;
    }

    /// <summary>The venue asked to start over (e.g. its connection was replaced): wait for a new snapshot.</summary>
    public void Invalidate() => StartResync();

    private BookApplyResult ApplySnapshot(BookUpdate snapshot)
    {
        Bids.Clear();
        Asks.Clear();
        LastUpdateId = 0;
        ApplyLevels(snapshot);
        if (Snapshots++ > 0 && !snapshot.Replicated)
        {
            Resyncs++;
        }

        if (!_continuity.Verify(this, snapshot))
        {
            ChecksumFailures++;
            StartResync();
            return BookApplyResult.ResyncNeeded;
        }

        State = BookState.Synced;

        // Replay what arrived while waiting: older diffs are stale, a diff that skips past the snapshot means the
        // snapshot is too old — start over.
        while (_pending.TryDequeue(out BookUpdate? diff))
        {
            ContinuityVerdict verdict = _continuity.Admit(this, diff);
            if (verdict == ContinuityVerdict.Apply)
            {
                ApplyLevels(diff);
                if (!_continuity.Verify(this, diff))
                {
                    ChecksumFailures++;
                    verdict = ContinuityVerdict.Gap;
                }
            }
            else if (verdict == ContinuityVerdict.Stale)
            {
                StaleDiffs++;
            }

            BookUpdate.Return(diff);
            if (verdict == ContinuityVerdict.Gap)
            {
                Gaps++;
                StartResync();
                return BookApplyResult.ResyncNeeded;
            }
        }

        return BookApplyResult.Applied;
    }

    private BookApplyResult Keep(BookUpdate diff)
    {
        if (_pending.Count >= _options.ResyncBuffer)
        {
            // The snapshot is taking too long: whatever it will say is older than what we would replay.
            DropPending();
            return BookApplyResult.ResyncNeeded;
        }

        BookUpdate copy = BookUpdate.Rent();
        diff.CopyTo(copy);
        _pending.Enqueue(copy);
        return BookApplyResult.Buffered;
    }

    private void StartResync()
    {
        State = BookState.Resyncing;
        DropPending();
    }

    private void DropPending()
    {
        while (_pending.TryDequeue(out BookUpdate? kept))
        {
            BookUpdate.Return(kept);
        }
    }

    private void ApplyLevels(BookUpdate update)
    {
        foreach (BookLevelChange bid in update.Bids)
        {
            Bids.Apply(bid.Price, bid.Quantity);
        }

        foreach (BookLevelChange ask in update.Asks)
        {
            Asks.Apply(ask.Price, ask.Quantity);
        }

        if (update.LastUpdateId > LastUpdateId)
        {
            LastUpdateId = update.LastUpdateId;
        }

        ExchangeTime = update.ExchangeTime;
        ReceiveTime = update.ReceiveTime;
        Sequence++;
    }
}
