using System.Buffers;
using System.Text.Json;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// The JSON of the latest tick per instrument, serialized once and shared by every client that sends it: the
/// fan-out loop encodes each tick here once, and a new client's snapshot of the latest tick hits the same entry. An
/// entry is an immutable object swapped whole, so readers on any thread see a consistent (seq, bytes) pair; an older
/// tick never replaces a newer entry.
/// </summary>
internal sealed class TickMessageCache
{
    private readonly Lock _growGate = new();
    private Entry?[] _entries = new Entry?[256];
    private long _encodes;

    /// <summary>Ticks serialized since start (compare with ticks admitted: one encode per tick, not per client).</summary>
    public long Encodes => Interlocked.Read(ref _encodes);

    public ReadOnlyMemory<byte> Get(in Tick tick, Instrument instrument)
    {
        Entry?[] entries = Volatile.Read(ref _entries);
        int id = tick.Instrument.Value;
        if (id < entries.Length && Volatile.Read(ref entries[id]) is { } entry && entry.Seq == tick.Seq)
        {
            return entry.Json;
        }

        var buffer = new ArrayBufferWriter<byte>(768);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            TickJson.Write(writer, in tick, instrument);
        }

        byte[] json = buffer.WrittenSpan.ToArray();
        Interlocked.Increment(ref _encodes);
        if (id >= entries.Length)
        {
            lock (_growGate)
            {
                if (id >= _entries.Length)
                {
                    Entry?[] grown = new Entry?[Math.Max(_entries.Length * 2, id + 1)];
                    _entries.CopyTo(grown, 0);
                    Volatile.Write(ref _entries, grown);
                }

                entries = _entries;
            }
        }

        Entry fresh = new(tick.Seq, json);
        Entry? current = Volatile.Read(ref entries[id]);
        while ((current is null || current.Seq < tick.Seq) && Interlocked.CompareExchange(ref entries[id], fresh, current) is var seen && !ReferenceEquals(seen, current))
        {
            current = seen;
        }

        return json;
    }

    private sealed record Entry(long Seq, byte[] Json);
}
