using System.Buffers;
using System.Collections.Frozen;
using System.Text.Unicode;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken v2 symbol (<c>BTC/USD</c>) → a slot holding the instrument, its book's <see cref="KrakenBookChecksum"/> and
/// the counter that orders its book messages; built once from the instrument master and read on every message.
/// Lookups take the symbol's UTF-8 bytes straight from the frame and match exactly (Kraken's symbols are upper case)
/// without allocating.
/// </summary>
internal sealed class KrakenSymbolMap
{
    /// <summary>Longer symbols are not Kraken's (theirs are ASCII pairs of up to 12 characters a side).</summary>
    public const int MaxSymbolBytes = 32;

    private readonly FrozenDictionary<string, int> _map;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly InstrumentId[] _instruments;
    private readonly KrakenBookChecksum[] _books;
    private readonly long[] _bookMessages;

    public KrakenSymbolMap(IReadOnlyList<KeyValuePair<string, InstrumentId>> entries, int bookDepth)
    {
        _map = entries.Select((e, i) => new KeyValuePair<string, int>(e.Key, i)).ToFrozenDictionary(StringComparer.Ordinal);
        _bySpan = _map.GetAlternateLookup<ReadOnlySpan<char>>();
        _instruments = [.. entries.Select(e => e.Value)];
        _books = [.. entries.Select(_ => new KrakenBookChecksum(bookDepth))];
        _bookMessages = new long[entries.Count];
    }

    public int Count => _map.Count;

    public bool TryGet(string symbol, out InstrumentId instrument)
    {
        bool found = _map.TryGetValue(symbol, out int slot);
        instrument = found ? _instruments[slot] : default;
        return found;
    }

    /// <summary>The slot of a symbol given as UTF-8, or -1.</summary>
    public int Slot(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.Length > MaxSymbolBytes)
        {
            return -1;
        }

        Span<char> chars = stackalloc char[MaxSymbolBytes];
        return Utf8.ToUtf16(utf8, chars, out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done
            && _bySpan.TryGetValue(chars[..written], out int slot)
            ? slot
            : -1;
    }

    public InstrumentId Instrument(int slot) => _instruments[slot];

    public KrakenBookChecksum Book(int slot) => _books[slot];

    /// <summary>The next number of the slot's book messages (1, 2, …): what orders them for the book.</summary>
    public long NextBookMessage(int slot) => Interlocked.Increment(ref _bookMessages[slot]);

    /// <summary>The checksum keeper of an instrument's book, when the symbol is known.</summary>
    public KrakenBookChecksum? BookOf(string symbol) => _map.TryGetValue(symbol, out int slot) ? _books[slot] : null;
}
