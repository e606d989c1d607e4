using System.Buffers;
using System.Collections.Frozen;
using System.Text.Unicode;
using MarketFeed.Model;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub symbol → <see cref="InstrumentId"/>, built once from the instrument master and read for every trade. The
/// symbol's UTF-8 bytes from the frame are transcoded into a stack buffer and matched exactly (Finnhub echoes the
/// symbol as subscribed, case included) without allocating.
/// </summary>
internal sealed class FinnhubSymbolMap
{
    /// <summary>Longer symbols are not Finnhub's.</summary>
    public const int MaxSymbolBytes = 64;

    private readonly FrozenDictionary<string, InstrumentId> _map;
    private readonly FrozenDictionary<string, InstrumentId>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public FinnhubSymbolMap(IEnumerable<KeyValuePair<string, InstrumentId>> entries)
    {
        _map = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _map.Count;

    public bool TryGet(string symbol, out InstrumentId instrument) => _map.TryGetValue(symbol, out instrument);

    public bool TryGet(ReadOnlySpan<byte> utf8, out InstrumentId instrument)
    {
        instrument = default;
        if (utf8.IsEmpty || utf8.Length > MaxSymbolBytes)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxSymbolBytes];
        return Utf8.ToUtf16(utf8, chars, out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done
            && _bySpan.TryGetValue(chars[..written], out instrument);
    }
}
