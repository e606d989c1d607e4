using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken's instruments: v2 symbol and REST pair ↔ registry id, from <see cref="KrakenOptions.InstrumentsFile"/> (a
/// saved <c>/0/public/AssetPairs</c> response) or downloaded and cached for the UTC day and REST URL. Replaced whole
/// on load, read lock-free afterwards.
/// </summary>
internal sealed class KrakenInstrumentMaster
{
    private Dictionary<InstrumentId, (string Symbol, string RestPair)> _byId = [];

    public KrakenSymbolMap Symbols { get; private set; } = new([], 10);

    public int Rejected { get; private set; }

    public string? Source { get; private set; }

    public int Count => _byId.Count;

    public bool Contains(InstrumentId instrument) => _byId.ContainsKey(instrument);

    /// <summary>The v2 symbol, <c>BTC/USD</c>.</summary>
    public bool TryGetSymbol(InstrumentId instrument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? symbol)
    {
        bool found = _byId.TryGetValue(instrument, out (string Symbol, string RestPair) names);
        symbol = found ? names.Symbol : null;
        return found;
    }

    /// <summary>The REST pair, <c>XXBTZUSD</c>.</summary>
    public bool TryGetRestPair(InstrumentId instrument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? pair)
    {
        bool found = _byId.TryGetValue(instrument, out (string Symbol, string RestPair) names);
        pair = found ? names.RestPair : null;
        return found;
    }

    public async Task LoadAsync(KrakenOptions options, KrakenRestClient rest, InstrumentRegistry registry, string feed, DateOnly todayUtc, CancellationToken cancellationToken)
    {
        string path = options.InstrumentsFile ?? await CachedAsync(options, rest, todayUtc, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new FeedConfigurationException($"Kraken:InstrumentsFile '{path}' does not exist");
        }

        byte[] json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        Load(json, registry, feed, options.BookDepth, path);
    }

    /// <summary>Registers the pairs of an AssetPairs document and replaces the maps.</summary>
    public void Load(byte[] json, InstrumentRegistry registry, string feed, int bookDepth, string source)
    {
        (List<(Instrument Instrument, string RestPair)> pairs, int rejected) = KrakenAssetPairs.Parse(json, feed);
        var byId = new Dictionary<InstrumentId, (string, string)>(pairs.Count);
        var symbols = new List<KeyValuePair<string, InstrumentId>>(pairs.Count);
        foreach ((Instrument definition, string restPair) in pairs)
        {
            Instrument registered;
            try
            {
                registered = registry.Register(definition);
            }
            catch (InvalidOperationException)
            {
                rejected++;
                continue;
            }

            if (byId.TryAdd(registered.Id, (registered.NativeKey, restPair)))
            {
                symbols.Add(new(registered.NativeKey, registered.Id));
            }
        }

        Symbols = new KrakenSymbolMap(symbols, bookDepth);
        Rejected = rejected;
        Source = source;
        _byId = byId;
    }

    /// <summary>The UTC day's pairs from this REST URL; checked before they are cached, so an error answer never stands in for them.</summary>
    private static Task<string> CachedAsync(KrakenOptions options, KrakenRestClient rest, DateOnly todayUtc, CancellationToken cancellationToken) =>
        InstrumentDumpCache.GetOrDownloadAsync(
            options.CacheDirectory, "kraken-assetpairs", "json", options.RestUrl, todayUtc,
            rest.GetAssetPairsAsync, json => KrakenAssetPairs.Parse(json, "check"), cancellationToken);
}
