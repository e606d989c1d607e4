using System.Runtime.CompilerServices;

namespace MarketFeed.Taps;

/// <summary>
/// Every admitted tick of every instrument, every candle close and every candle revision, in order per instrument, for the journal, stores
/// and the bus. One lock-free ring per hub partition (each instrument is written by its one partition, so reading
/// the rings in any interleaving keeps every instrument's order). Attached with <c>MarketHub.AttachFirehose</c>;
/// dispose to detach. Nothing attached costs the hub one array-length check; attached, one copy per event.
/// </summary>
public sealed class Firehose : IAsyncDisposable
{
    private readonly FirehoseRing[] _rings;
    private readonly Action<Firehose> _detach;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly bool _candlesOnly;
    private int _readerWaiting;
    private long _dropped;
    private volatile bool _completed;
    private int _next;

    internal Firehose(FirehoseOptions options, int partitions, Action<Firehose> detach)
    {
        Options = options;
        _candlesOnly = options.CandlesOnly;
        _detach = detach;
        int perPartition = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, options.Capacity / Math.Max(1, partitions)));
        _rings = new FirehoseRing[partitions];
        for (int i = 0; i < partitions; i++)
        {
            _rings[i] = new FirehoseRing(perPartition);
        }
    }

    public FirehoseOptions Options { get; }

    /// <summary>Events not delivered because this consumer was full (never silently: this is the count).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => _rings.Sum(r => r.Written);

    public int Pending
    {
        get
        {
            int pending = 0;
            foreach (FirehoseRing ring in _rings)
            {
                pending += ring.Count;
            }

            return pending;
        }
    }

    public bool IsCompleted => _completed;

    /// <summary>The next event of any partition, if one is pending. One reader at a time.</summary>
    public bool TryRead(out FirehoseEvent item)
    {
        // Start at a different ring each time so a busy partition cannot starve the others.
        int start = _next;
        for (int i = 0; i < _rings.Length; i++)
        {
            int index = (start + i) % _rings.Length;
            if (_rings[index].TryRead(out item))
            {
                _next = index + 1 == _rings.Length ? 0 : index + 1;
                return true;
            }
        }

        item = default;
        return false;
    }

    /// <summary>
    /// Hands up to <paramref name="max"/> pending events to <paramref name="reader"/> by reference, straight from the
    /// rings (no copy), each partition's in order. One reader at a time. Returns how many.
    /// </summary>
    public int Drain<TReader>(ref TReader reader, int max = int.MaxValue)
        where TReader : IFirehoseReader
    {
        int total = 0;
        foreach (FirehoseRing ring in _rings)
        {
            total += ring.Drain(ref reader, max - total);
            if (total >= max)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Waits until an event is pending; false once detached and drained.</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (Pending > 0)
            {
                return true;
            }

            if (_completed)
            {
                return Pending > 0;
            }

            Interlocked.Exchange(ref _readerWaiting, 1);

            // Re-check after announcing: an event written before the flag was seen would otherwise not wake us.
            if (Pending > 0 || _completed)
            {
                Volatile.Write(ref _readerWaiting, 0);
                continue;
            }

            await _signal.WaitAsync(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<FirehoseEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out FirehoseEvent item))
            {
                yield return item;
            }
        }
    }

    /// <summary>Partition side: <paramref name="partition"/> is the writing partition's index. Never blocks unless <see cref="FirehoseOptions.Lossless"/>.</summary>
    internal void WriteTick(int partition, in Model.Tick tick)
    {
        if (_candlesOnly)
        {
            return;
        }

        FirehoseRing ring = _rings[partition];
        if (!ring.TryWriteTick(in tick))
        {
            var spinner = default(SpinWait);
            do
            {
                if (!KeepWaiting(ref spinner))
                {
                    return;
                }
            }
            while (!ring.TryWriteTick(in tick));
        }

        Wake();
    }

    internal void WriteCandle(int partition, in Hub.CandleEvent candle)
    {
        FirehoseRing ring = _rings[partition];
        if (!ring.TryWriteCandle(in candle))
        {
            var spinner = default(SpinWait);
            do
            {
                if (!KeepWaiting(ref spinner))
                {
                    return;
                }
            }
            while (!ring.TryWriteCandle(in candle));
        }

        Wake();
    }

    internal void WriteBook(int partition, Books.OrderBook book, int depth, Model.TickSource source)
    {
        if (_candlesOnly)
        {
            return;
        }

        FirehoseRing ring = _rings[partition];
        var spinner = default(SpinWait);
        while (!ring.TryWriteBook(book, depth, source))
        {
            if (!KeepWaiting(ref spinner))
            {
                return;
            }
        }

        Wake();
    }

    internal void WriteRevision(int partition, in Hub.CandleRevision revision)
    {
        FirehoseRing ring = _rings[partition];
        var spinner = default(SpinWait);
        while (!ring.TryWriteRevision(in revision))
        {
            if (!KeepWaiting(ref spinner))
            {
                return;
            }
        }

        Wake();
    }

    public ValueTask DisposeAsync()
    {
        _detach(this);
        _completed = true;
        _signal.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The ring is full: a lossless consumer is waited for (spinning, then yielding, waking the reader); any other
    /// loses the event, counted. False when the event is to be dropped.
    /// </summary>
    private bool KeepWaiting(ref SpinWait spinner)
    {
        if (!Options.Lossless || _completed)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        if (Volatile.Read(ref _readerWaiting) != 0 && Interlocked.Exchange(ref _readerWaiting, 0) != 0)
        {
            _signal.Release();
        }

        spinner.SpinOnce();
        return true;
    }

    private void Wake()
    {
        // Only a reader that announced it waits is signalled: the common case (a reader keeping up) costs one read.
        // No fence on the writer (it runs per tick): the flag may be read before the tail is seen, in which case the
        // reader's bounded wait (10 ms) re-checks instead — a rare, bounded delay rather than a cost on every event.
        if (Volatile.Read(ref _readerWaiting) != 0 && Interlocked.Exchange(ref _readerWaiting, 0) != 0)
        {
            _signal.Release();
        }
    }
}
