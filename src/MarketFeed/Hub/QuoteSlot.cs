using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// The latest tick of one instrument plus its update statistics. One writer (the instrument's hub partition), any
/// number of readers. A tick is too large to write atomically, so the slot is a seqlock: the writer makes the
/// version odd, writes, and makes it even again; a reader retries until it copied the tick between two equal even
/// versions. Readers never block the writer.
/// </summary>
public sealed class QuoteSlot(Instrument instrument)
{
    private Tick _tick;
    private int _version;
    private long _updates;
    private long _lastReceiveTicks;
    private int _source;

    public Instrument Instrument { get; } = instrument;

    public long Updates => Volatile.Read(ref _updates);

    /// <summary>UTC receive time of the last update, or null before the first.</summary>
    public DateTime? LastReceive
    {
        get
        {
            long ticks = Volatile.Read(ref _lastReceiveTicks);
            return ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc);
        }
    }

    public TickSource? Source => Updates == 0 ? null : (TickSource)Volatile.Read(ref _source);

    public bool TryRead(out Tick tick)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int before = Volatile.Read(ref _version);
            if (before == 0)
            {
                tick = default;
                return false;
            }

            if ((before & 1) == 0)
            {
                tick = _tick;

                // Full fence: the copy above must complete before the version is read again.
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == before)
                {
                    return true;
                }
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>The latest tick as the writer sees it, without the seqlock. Partition thread only.</summary>
    internal ref readonly Tick WriterView => ref _tick;

    /// <summary>True once a tick was written. Partition thread only.</summary>
    internal bool HasTick => _version != 0;

    /// <summary>Publishes <paramref name="tick"/> as the latest. Partition thread only.</summary>
    internal void Write(in Tick tick)
    {
        // Interlocked makes the version odd with a full fence, so no store of the tick can be seen before it.
        Interlocked.Increment(ref _version);
        _tick = tick;
        Volatile.Write(ref _version, _version + 1);
    }

    /// <summary>Counts an update (in or out of order). Partition thread only.</summary>
    internal void RecordUpdate(in Tick tick)
    {
        Volatile.Write(ref _source, (int)tick.Source);
        Volatile.Write(ref _lastReceiveTicks, tick.ReceiveTime.Ticks);
        Volatile.Write(ref _updates, _updates + 1);
    }
}
