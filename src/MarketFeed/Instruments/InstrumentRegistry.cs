using System.Collections.Concurrent;
using MarketFeed.Model;

namespace MarketFeed.Instruments;

/// <summary>
/// (feed, native key) ↔ <see cref="InstrumentId"/> ↔ canonical symbol. Registration happens when a feed loads its
/// instrument master; lookups happen on every edge (CLI, API, decoders) and are lock-free: ids index a
/// copy-on-write array, symbols and native keys live in concurrent dictionaries.
/// </summary>
public sealed class InstrumentRegistry
{
    private readonly Lock _writeGate = new();
    private readonly ConcurrentDictionary<string, Instrument> _bySymbol = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Feed, string Key), Instrument> _byNative = new();
    private readonly ConcurrentDictionary<string, Instrument> _byAlias = new(StringComparer.OrdinalIgnoreCase);
    private Instrument?[] _byId = new Instrument?[64];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public event Action<Instrument>? Registered;

    /// <summary>
    /// Registers <paramref name="definition"/> and returns it with its id. Registering the same (feed, native key)
    /// again returns the instrument already there; a second native key for an existing symbol of the same feed is refused.
    /// </summary>
    public Instrument Register(Instrument definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Instrument registered;
        lock (_writeGate)
        {
            if (_byNative.TryGetValue((definition.Feed, definition.NativeKey), out Instrument? existing))
            {
                return existing;
            }

            if (_bySymbol.TryGetValue(definition.Symbol, out Instrument? clash) && clash.Feed == definition.Feed)
            {
                throw new InvalidOperationException(
                    $"{definition.Symbol} is already registered for feed {definition.Feed} under key {clash.NativeKey}; refusing key {definition.NativeKey}.");
            }

            int id = _count + 1;
            registered = definition with { Id = new InstrumentId(id) };
            Instrument?[] byId = _byId;
            if (id >= byId.Length)
            {
                Array.Resize(ref byId, byId.Length * 2);
            }

            byId[id] = registered;
            Volatile.Write(ref _byId, byId);
            _byNative[(registered.Feed, registered.NativeKey)] = registered;
            _bySymbol.TryAdd(registered.Symbol, registered);
            Volatile.Write(ref _count, id);
        }

        Registered?.Invoke(registered);
        return registered;
    }

    public Instrument Get(InstrumentId id) =>
        TryGet(id, out Instrument? instrument) ? instrument : throw new KeyNotFoundException($"No instrument has id {id}.");

    public bool TryGet(InstrumentId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument)
    {
        Instrument?[] byId = Volatile.Read(ref _byId);
        instrument = (uint)id.Value < (uint)byId.Length ? byId[id.Value] : null;
        return instrument is not null;
    }

    /// <summary>
    /// Canonical symbol lookup, case-insensitive (<c>nse:reliance</c> finds <c>NSE:RELIANCE</c>), then the venues' own
    /// names for it (see <see cref="AddAlias"/>).
    /// </summary>
    public bool TryGetBySymbol(string symbol, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument)
    {
        string trimmed = symbol.Trim();
        return _bySymbol.TryGetValue(trimmed, out instrument) || _byAlias.TryGetValue(trimmed, out instrument);
    }

    /// <summary>
    /// Another name users type for a registered instrument (a venue's own trading symbol, display name or id), resolved
    /// like its symbol. First come wins: false when the name is already a symbol or another instrument's alias.
    /// </summary>
    public bool AddAlias(string alias, InstrumentId id)
    {
        string trimmed = alias.Trim();
        if (trimmed.Length == 0 || !TryGet(id, out Instrument? instrument) || _bySymbol.ContainsKey(trimmed))
        {
            return false;
        }

        return _byAlias.TryAdd(trimmed, instrument) || _byAlias[trimmed].Id == id;
    }

    public bool TryGetByNativeKey(string feed, string nativeKey, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument) =>
        _byNative.TryGetValue((feed, nativeKey), out instrument);

    public IReadOnlyList<Instrument> All()
    {
        Instrument?[] byId = Volatile.Read(ref _byId);
        int count = Count;
        var list = new List<Instrument>(count);
        for (int i = 1; i <= count; i++)
        {
            list.Add(byId[i]!);
        }

        return list;
    }

    /// <summary>Ranked text search ("NIFTY 24000 CE", "reliance"); see <see cref="InstrumentSearch"/>.</summary>
    public IReadOnlyList<Instrument> Search(string text, int limit = 20, string? feed = null, DateTime? asOfUtc = null) =>
        InstrumentSearch.Search(All(), text, limit, feed, asOfUtc ?? DateTime.UtcNow);

    /// <summary>
    /// Resolves a symbol exactly, or fails with <see cref="UnknownSymbolException"/> naming close matches, so callers
    /// can print one line that says what to type instead.
    /// </summary>
    public Instrument Resolve(string symbol)
    {
        if (TryGetBySymbol(symbol, out Instrument? instrument))
        {
            return instrument;
        }

        throw new UnknownSymbolException(symbol, InstrumentSearch.Suggest(All(), symbol, 5));
    }
}
