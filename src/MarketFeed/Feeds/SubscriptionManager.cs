using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// Subscriptions as desired state. Consumers hold <see cref="Lease"/>s; the manager keeps a reference count per
/// (instrument, mode) and derives the effective mode (full ⊇ quote ⊇ ltp). Feeds reconcile their connections with
/// <see cref="Changed"/> and replay <see cref="Desired"/> after a reconnect; the hub reads <see cref="IsWanted"/>
/// on every tick to drop what nobody wants, even when a venue ignores an unsubscribe.
/// </summary>
public sealed class SubscriptionManager
{
    private const int ModeSlots = 4;

    private readonly Lock _gate = new();
    private readonly Dictionary<InstrumentId, int[]> _counts = [];

    // Effective mode per instrument id (0 = not wanted). Written under _gate, read lock-free by hub partitions:
    // a byte write is atomic, and growth publishes a fully copied array before any new value is written to it.
    private byte[] _effective = new byte[256];

    /// <summary>
    /// Raised under the manager's lock, in the order changes happen, so a feed sees a consistent sequence.
    /// Handlers must only record the change (enqueue, set a flag), never block.
    /// </summary>
    public event Action<DesiredChange>? Changed;

    public Lease Acquire(InstrumentId instrument, FeedMode mode)
    {
        if (instrument.IsNone)
        {
            throw new ArgumentException("A lease needs a registered instrument.", nameof(instrument));
        }

        lock (_gate)
        {
            if (!_counts.TryGetValue(instrument, out int[]? counts))
            {
                counts = new int[ModeSlots];
                _counts[instrument] = counts;
            }

            FeedMode? before = Effective(counts);
            counts[(int)mode]++;
            Publish(instrument, before, Effective(counts));
        }

        return new Lease(this, instrument, mode);
    }

    public bool IsWanted(InstrumentId instrument)
    {
        byte[] effective = Volatile.Read(ref _effective);
        return (uint)instrument.Value < (uint)effective.Length && effective[instrument.Value] != 0;
    }

    public FeedMode? EffectiveMode(InstrumentId instrument)
    {
        byte[] effective = Volatile.Read(ref _effective);
        byte mode = (uint)instrument.Value < (uint)effective.Length ? effective[instrument.Value] : (byte)0;
        return mode == 0 ? null : (FeedMode)mode;
    }

    /// <summary>Snapshot of the desired set (what a feed replays after reconnecting).</summary>
    public IReadOnlyList<DesiredSubscription> Desired(Func<InstrumentId, bool>? filter = null)
    {
        lock (_gate)
        {
            var result = new List<DesiredSubscription>(_counts.Count);
            foreach ((InstrumentId instrument, int[] counts) in _counts)
            {
                if (Effective(counts) is { } mode && (filter is null || filter(instrument)))
                {
                    result.Add(new DesiredSubscription(instrument, mode));
                }
            }

            return result;
        }
    }

    public int LeaseCount(InstrumentId instrument)
    {
        lock (_gate)
        {
            return _counts.TryGetValue(instrument, out int[]? counts) ? counts.Sum() : 0;
        }
    }

    internal void Release(InstrumentId instrument, FeedMode mode)
    {
        lock (_gate)
        {
            int[] counts = _counts[instrument];
            FeedMode? before = Effective(counts);
            counts[(int)mode]--;
            FeedMode? after = Effective(counts);
            if (after is null)
            {
                _counts.Remove(instrument);
            }

            Publish(instrument, before, after);
        }
    }

    private static FeedMode? Effective(int[] counts)
    {
        for (int mode = ModeSlots - 1; mode > 0; mode--)
        {
            if (counts[mode] > 0)
            {
                return (FeedMode)mode;
            }
        }

        return null;
    }

    private void Publish(InstrumentId instrument, FeedMode? before, FeedMode? after)
    {
        System.Diagnostics.Debug.Assert(_gate.IsHeldByCurrentThread);
        if (before == after)
        {
            return;
        }

        byte[] effective = _effective;
        if (instrument.Value >= effective.Length)
        {
            byte[] grown = new byte[Math.Max(effective.Length * 2, instrument.Value + 1)];
            effective.CopyTo(grown, 0);
            Volatile.Write(ref _effective, grown);
            effective = grown;
        }

        Volatile.Write(ref effective[instrument.Value], (byte)(after ?? 0));
        Changed?.Invoke(new DesiredChange(instrument, before, after));
    }
}
