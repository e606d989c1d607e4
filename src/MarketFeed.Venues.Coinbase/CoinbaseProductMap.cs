using System.Buffers;
using System.Collections.Frozen;
using System.Text.Unicode;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Product id (<c>BTC-USD</c>) → <see cref="InstrumentId"/>, built once from the products master and read on every
/// event. Lookups take the id's UTF-8 bytes straight from the frame through a stack buffer, without allocating.
/// </summary>
internal sealed class CoinbaseProductMap
{
    /// <summary>Longer ids are not Coinbase's (theirs are a few ASCII letters, a dash and a few more).</summary>
    public const int MaxProductBytes = 64;

    private readonly FrozenDictionary<string, InstrumentId> _map;
    private readonly FrozenDictionary<string, InstrumentId>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public CoinbaseProductMap(IEnumerable<KeyValuePair<string, InstrumentId>> entries)
    {
        _map = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _map.Count;

    public IEnumerable<string> Products => _map.Keys;

    public bool TryGet(string product, out InstrumentId instrument) => _map.TryGetValue(product, out instrument);

    public bool TryGet(ReadOnlySpan<byte> utf8, out InstrumentId instrument)
    {
        instrument = default;
        if (utf8.IsEmpty || utf8.Length > MaxProductBytes)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxProductBytes];
        return Utf8.ToUtf16(utf8, chars, out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done
            && _bySpan.TryGetValue(chars[..written], out instrument);
    }
}
