using System.Collections.Frozen;
using System.Text;
using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Instrument key (<c>NSE_EQ|INE002A01018</c>) → registry id, built once from the instrument file and read for every
/// feed entry. Keys arrive as UTF-8 bytes; they are looked up through a span of chars on the stack, never a string.
/// </summary>
public sealed class UpstoxKeyMap
{
    private const int MaxKeyChars = 128;
    private readonly FrozenDictionary<string, UpstoxKeyEntry> _map;
    private readonly FrozenDictionary<string, UpstoxKeyEntry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public UpstoxKeyMap(IEnumerable<KeyValuePair<string, UpstoxKeyEntry>> entries)
    {
        _map = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _map.Count;

    public bool TryGet(string key, out UpstoxKeyEntry entry) => _map.TryGetValue(key, out entry);

    public bool TryGet(ReadOnlySpan<byte> utf8Key, out UpstoxKeyEntry entry)
    {
        entry = default;
        if (utf8Key.Length > MaxKeyChars)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxKeyChars];
        return Encoding.UTF8.TryGetChars(utf8Key, chars, out int written) && _bySpan.TryGetValue(chars[..written], out entry);
    }
}

/// <summary>What the decoder needs to know of an instrument: its id and whether Greeks apply.</summary>
public readonly record struct UpstoxKeyEntry(InstrumentId Id, bool IsOption);
