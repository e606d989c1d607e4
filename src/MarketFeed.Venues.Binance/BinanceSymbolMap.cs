using System.Buffers;
using System.Collections.Frozen;
using System.Text.Unicode;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance symbol → <see cref="InstrumentId"/>, built once from the instrument master and read on every event.
/// Lookups take the symbol's UTF-8 bytes straight from the frame, transcode them into a stack buffer and match
/// case-insensitively (streams name symbols in lower case, payloads in upper case) without allocating.
/// </summary>
internal sealed class BinanceSymbolMap
{
    /// <summary>Longer symbols are not Binance's (theirs are ASCII up to 20 characters, a few are CJK).</summary>
    public const int MaxSymbolBytes = 64;

    private readonly FrozenDictionary<string, InstrumentId> _map;
    private readonly FrozenDictionary<string, InstrumentId>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public BinanceSymbolMap(IEnumerable<KeyValuePair<string, InstrumentId>> entries)
    {
        _map = entries.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
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
