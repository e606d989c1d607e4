using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// Latest tick per instrument, keyed only by <see cref="InstrumentId"/>: a price can only ever be stored under the
/// instrument its own message named. Slots are created by partitions and read from anywhere without locks.
/// </summary>
public sealed class QuoteBook
{
    private readonly Lock _growGate = new();
    private QuoteSlot?[] _slots = new QuoteSlot?[256];

    public bool TryGetLatest(InstrumentId instrument, out Tick tick)
    {
        if (Slot(instrument) is { } slot)
        {
            return slot.TryRead(out tick);
        }

        tick = default;
        return false;
    }

    public QuoteSlot? Slot(InstrumentId instrument)
    {
        QuoteSlot?[] slots = Volatile.Read(ref _slots);
        return (uint)instrument.Value < (uint)slots.Length ? Volatile.Read(ref slots[instrument.Value]) : null;
    }

    public IEnumerable<QuoteSlot> Slots()
    {
        foreach (QuoteSlot? slot in Volatile.Read(ref _slots))
        {
            if (slot is not null)
            {
                yield return slot;
            }
        }
    }

    internal QuoteSlot GetOrCreate(Instrument instrument)
    {
        if (Slot(instrument.Id) is { } existing)
        {
            return existing;
        }

        lock (_growGate)
        {
            QuoteSlot?[] slots = _slots;
            if (instrument.Id.Value >= slots.Length)
            {
                Array.Resize(ref slots, Math.Max(slots.Length * 2, instrument.Id.Value + 1));
            }

            QuoteSlot slot = slots[instrument.Id.Value] ??= new QuoteSlot(instrument);
            Volatile.Write(ref _slots, slots);
            return slot;
        }
    }
}
