using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// Which subscribers want which instrument. Partitions read an immutable array per instrument without locks;
/// changes replace the array under a lock (copy-on-write), which is cheap because interest changes are rare next
/// to ticks.
/// </summary>
internal sealed class SubscriberIndex
{
    private readonly Lock _gate = new();
    private HubSubscriber[]?[] _byInstrument = new HubSubscriber[]?[256];

    public HubSubscriber[] For(InstrumentId instrument)
    {
        HubSubscriber[]?[] table = Volatile.Read(ref _byInstrument);
        return (uint)instrument.Value < (uint)table.Length ? Volatile.Read(ref table[instrument.Value]) ?? [] : [];
    }

    public void Add(InstrumentId instrument, HubSubscriber subscriber)
    {
        lock (_gate)
        {
            HubSubscriber[]?[] table = _byInstrument;
            if (instrument.Value >= table.Length)
            {
                Array.Resize(ref table, Math.Max(table.Length * 2, instrument.Value + 1));
                Volatile.Write(ref _byInstrument, table);
            }

            HubSubscriber[] current = table[instrument.Value] ?? [];
            if (Array.IndexOf(current, subscriber) < 0)
            {
                Volatile.Write(ref table[instrument.Value], [.. current, subscriber]);
            }
        }
    }

    public void Remove(InstrumentId instrument, HubSubscriber subscriber)
    {
        lock (_gate)
        {
            HubSubscriber[]?[] table = _byInstrument;
            if (instrument.Value < table.Length && table[instrument.Value] is { } current)
            {
                Volatile.Write(ref table[instrument.Value], current.Where(s => s != subscriber).ToArray());
            }
        }
    }
}
