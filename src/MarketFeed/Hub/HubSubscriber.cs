using System.Runtime.CompilerServices;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// One consumer's bounded mailbox. The hub posts into it and never waits: posting takes a short lock held for an
/// O(1) queue operation and never while running consumer code, so a consumer that stops reading costs the hub
/// nothing and loses only what its <see cref="TickQueuePolicy"/> says, counted. Invariant: once
/// <see cref="RemoveInterest"/> returns, nothing of that instrument is pending or will be delivered.
/// </summary>
public sealed class HubSubscriber
{
    private readonly Lock _gate = new();
    private readonly HashSet<InstrumentId> _interest = [];
    // Copy-on-write so the hub can check it without the lock; intervals are added rarely (a client asks for one).
    private long[] _candleIntervalTicks;
    private readonly KeyedRing<Tick> _ticks;
    private readonly KeyedRing<CandleEvent> _candles;
    private readonly KeyedRing<CandleRevision> _revisions;
    private readonly KeyedRing<BookViewItem> _books;
    private readonly bool _conflateTicks;
    private volatile bool _wantsBooks;
    // One waiter for both queues: a reader of either is woken by a post to either and re-checks its own queue.
    private TaskCompletionSource? _waiter;
    // A Wake() that found no waiter: the next wait returns at once instead of missing it.
    private bool _woken;
    private bool _completed;
    private long _ticksPosted;
    private long _ticksConflated;
    private long _ticksDropped;
    private long _candlesPosted;
    private long _revisionsPosted;
    private long _callbackErrors;

    internal HubSubscriber(SubscriberOptions options)
    {
        Options = options;
        _conflateTicks = options.TickPolicy == TickQueuePolicy.ConflateLatest;
        _ticks = new KeyedRing<Tick>(_conflateTicks ? int.MaxValue : Math.Max(1, options.TickCapacity));
        _candles = new KeyedRing<CandleEvent>(int.MaxValue);
        _revisions = new KeyedRing<CandleRevision>(int.MaxValue);
        _books = new KeyedRing<BookViewItem>(int.MaxValue);
        _candleIntervalTicks = [.. options.CandleIntervals.Select(i => i.Length.Ticks).Distinct()];
        _wantsBooks = options.Books;
    }

    public SubscriberOptions Options { get; }

    public long TicksPosted => Volatile.Read(ref _ticksPosted);

    public long TicksConflated => Volatile.Read(ref _ticksConflated);

    public long TicksDropped => Volatile.Read(ref _ticksDropped);

    public long CandlesPosted => Volatile.Read(ref _candlesPosted);

    public long CallbackErrors => Volatile.Read(ref _callbackErrors);

    /// <summary>Whether book views are posted here (<see cref="SubscriberOptions.Books"/>, or turned on later by <see cref="EnableBooks"/>).</summary>
    public bool WantsBooks => _wantsBooks;

    /// <summary>Starts receiving book views too (a streaming client that adds the books channel); the hub reads the flag lock-free.</summary>
    public void EnableBooks() => _wantsBooks = true;

    public bool WantsCandles(CandleInterval interval) => Array.IndexOf(Volatile.Read(ref _candleIntervalTicks), interval.Length.Ticks) >= 0;

    /// <summary>Starts receiving events of <paramref name="interval"/> too (the hub must also build it: see <see cref="MarketHub.EnsureCandlesAsync"/>).</summary>
    public void AddCandleInterval(CandleInterval interval)
    {
        lock (_gate)
        {
            if (!WantsCandles(interval))
            {
                Volatile.Write(ref _candleIntervalTicks, [.. _candleIntervalTicks, interval.Length.Ticks]);
            }
        }
    }

    /// <summary>Candle events and revisions waiting to be read.</summary>
    public int PendingCandles
    {
        get
        {
            lock (_gate)
            {
                return _candles.Count + _revisions.Count;
            }
        }
    }

    public long RevisionsPosted => Volatile.Read(ref _revisionsPosted);

    public bool TryReadTick(out Tick tick)
    {
        lock (_gate)
        {
            return _ticks.TryDequeue(out tick);
        }
    }

    public bool TryReadBook([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BookView? book)
    {
        lock (_gate)
        {
            bool read = _books.TryDequeue(out BookViewItem item);
            book = item.View;
            return read;
        }
    }

    public ValueTask<bool> WaitToReadBooksAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(static s => s._books.Count > 0, cancellationToken);

    /// <summary>The latest view of each watched book as it changes (a slow reader skips to the newest, never reads a stale one).</summary>
    public async IAsyncEnumerable<BookView> ReadBooksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadBooksAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryReadBook(out BookView? book))
            {
                yield return book;
            }
        }
    }

    public bool TryReadCandle(out CandleEvent candle)
    {
        lock (_gate)
        {
            return _candles.TryDequeue(out candle);
        }
    }

    /// <summary>The next revision of a closed bar (never merged or dropped), in the order they were made.</summary>
    public bool TryReadRevision(out CandleRevision revision)
    {
        lock (_gate)
        {
            return _revisions.TryDequeue(out revision);
        }
    }

    public ValueTask<bool> WaitToReadRevisionsAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(static s => s._revisions.Count > 0, cancellationToken);

    /// <summary>Revisions of closed bars of the watched instruments at the intervals this subscriber takes candles of.</summary>
    public async IAsyncEnumerable<CandleRevision> ReadRevisionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadRevisionsAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryReadRevision(out CandleRevision revision))
            {
                yield return revision;
            }
        }
    }

    /// <summary>Waits until a tick is pending; false once the subscriber is completed and drained.</summary>
    public ValueTask<bool> WaitToReadTicksAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(static s => s._ticks.Count > 0, cancellationToken);

    public ValueTask<bool> WaitToReadCandlesAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(static s => s._candles.Count > 0, cancellationToken);

    /// <summary>Waits until a tick, a candle event or revision, or a book is pending; false once completed and drained.</summary>
    public ValueTask<bool> WaitToReadAnyAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(static s => s._ticks.Count + s._candles.Count + s._revisions.Count + s._books.Count > 0, cancellationToken);

    public async IAsyncEnumerable<Tick> ReadTicksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadTicksAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryReadTick(out Tick tick))
            {
                yield return tick;
            }
        }
    }

    public async IAsyncEnumerable<CandleEvent> ReadCandlesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadCandlesAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryReadCandle(out CandleEvent candle))
            {
                yield return candle;
            }
        }
    }

    internal void CountCallbackError() => Interlocked.Increment(ref _callbackErrors);

    /// <summary>
    /// Wakes a waiting reader without posting anything (its owner has other work for it, e.g. a reply to send). With
    /// no reader waiting, the next wait returns at once, so a wake between the owner's last check and its wait is not lost.
    /// </summary>
    public void Wake()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _woken = waiter is null;
        }

        waiter?.TrySetResult();
    }

    internal void AddInterest(InstrumentId instrument)
    {
        lock (_gate)
        {
            _interest.Add(instrument);
        }
    }

    /// <summary>Stops delivery of <paramref name="instrument"/> and purges what is pending for it.</summary>
    internal void RemoveInterest(InstrumentId instrument)
    {
        lock (_gate)
        {
            _interest.Remove(instrument);
            long id = instrument.Value;
            _ticks.RemoveWhere(key => key == id);
            _candles.RemoveWhere(key => CandleKeyInstrument(key) == id);
            _revisions.RemoveWhere(key => CandleKeyInstrument(key) == id);
            _books.RemoveWhere(key => key == id);
        }
    }

    /// <summary>Hub side: enqueue a tick. Partition thread; never blocks beyond the O(1) critical section.</summary>
    internal void PostTick(in Tick tick)
    {
        if (!Options.Ticks)
        {
            return;
        }

        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_completed || !_interest.Contains(tick.Instrument))
            {
                return;
            }

            EnqueueOutcome outcome = _ticks.Enqueue(tick.Instrument.Value, in tick, _conflateTicks);
            _ticksPosted++;
            if (outcome == EnqueueOutcome.Conflated)
            {
                _ticksConflated++;
            }
            else if (outcome == EnqueueOutcome.DroppedOldest)
            {
                _ticksDropped++;
            }

            waiter = _waiter;
            _waiter = null;
        }

        // Completed outside the lock; continuations run asynchronously, never on the hub's thread.
        waiter?.TrySetResult();
    }

    internal void PostCandle(in CandleEvent candle)
    {
        if (!WantsCandles(candle.Interval) || (!candle.IsClose && !Options.CandleUpdates))
        {
            return;
        }

        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_completed || !_interest.Contains(candle.Instrument))
            {
                return;
            }

            long key = CandleKey(candle.Instrument, candle.Interval);
            if (candle.IsClose)
            {
                // A close is never merged or dropped; later updates (the next bar) queue after it.
                _candles.Unpin(key);
                _candles.Enqueue(key, in candle, conflate: false);
            }
            else
            {
                _candles.Enqueue(key, in candle, conflate: true);
            }

            _candlesPosted++;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    internal void PostRevision(in CandleRevision revision)
    {
        if (!WantsCandles(revision.Interval))
        {
            return;
        }

        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_completed || !_interest.Contains(revision.Instrument))
            {
                return;
            }

            _revisions.Enqueue(CandleKey(revision.Instrument, revision.Interval), in revision, conflate: false);
            _revisionsPosted++;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Hub side: the latest view of a book (conflated per instrument: a slow reader gets the newest, never a stale chain).</summary>
    internal void PostBook(BookView book)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_completed || !_interest.Contains(book.Instrument))
            {
                return;
            }

            _books.Enqueue(book.Instrument.Value, new BookViewItem(book), conflate: true);
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>No more posts; readers drain what is pending and then finish.</summary>
    internal void Complete()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    private static long CandleKey(InstrumentId instrument, CandleInterval interval) =>
        ((long)instrument.Value << 20) | (long)interval.Length.TotalSeconds;

    private static long CandleKeyInstrument(long key) => key >> 20;

    private ValueTask<bool> WaitAsync(Func<HubSubscriber, bool> hasItems, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (hasItems(this) || _woken)
            {
                _woken = false;
                return ValueTask.FromResult(true);
            }

            if (_completed)
            {
                return ValueTask.FromResult(false);
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        return AwaitSignal(wait, hasItems, cancellationToken);
    }

    private async ValueTask<bool> AwaitSignal(Task wait, Func<HubSubscriber, bool> hasItems, CancellationToken cancellationToken)
    {
        await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return hasItems(this) || !_completed;
        }
    }

    /// <summary>A book view as a ring item (the ring holds structs).</summary>
    private readonly record struct BookViewItem(BookView View);
}
