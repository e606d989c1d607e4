using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance's instruments: symbol ↔ registry id, from <see cref="BinanceOptions.InstrumentsFile"/> (a saved
/// <c>/api/v3/exchangeInfo</c> response) or downloaded and cached for the UTC day and REST URL (symbols are listed and delisted
/// over time, so a cache from another day is not used). Replaced whole on load, read lock-free afterwards.
/// </summary>
internal sealed class BinanceInstrumentMaster
{
    private Dictionary<InstrumentId, (string Symbol, string Stream)> _byId = [];

    public BinanceSymbolMap Symbols { get; private set; } = new([]);

    public int Rejected { get; private set; }

    public string? Source { get; private set; }

    public int Count => _byId.Count;

    public bool Contains(InstrumentId instrument) => _byId.ContainsKey(instrument);

    /// <summary>The REST symbol, <c>BTCUSDT</c>.</summary>
    public bool TryGetSymbol(InstrumentId instrument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? symbol)
    {
        bool found = _byId.TryGetValue(instrument, out (string Symbol, string Stream) names);
        symbol = found ? names.Symbol : null;
        return found;
    }

    /// <summary>The symbol as stream names spell it, <c>btcusdt</c>.</summary>
    public bool TryGetStreamSymbol(InstrumentId instrument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? stream)
    {
        bool found = _byId.TryGetValue(instrument, out (string Symbol, string Stream) names);
        stream = found ? names.Stream : null;
        return found;
    }

    public async Task LoadAsync(BinanceOptions options, BinanceRestClient rest, InstrumentRegistry registry, string feed, DateOnly todayUtc, CancellationToken cancellationToken)
    {
        string path = options.InstrumentsFile ?? await CachedAsync(options, rest, todayUtc, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new FeedConfigurationException($"Binance:InstrumentsFile '{path}' does not exist");
        }

        byte[] json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        (List<Instrument> definitions, int rejected) = BinanceExchangeInfo.Parse(json, feed);
        var byId = new Dictionary<InstrumentId, (string, string)>(definitions.Count);
        var symbols = new List<KeyValuePair<string, InstrumentId>>(definitions.Count);
        foreach (Instrument definition in definitions)
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

            byId[registered.Id] = (registered.NativeKey, registered.NativeKey.ToLowerInvariant());
            symbols.Add(new(registered.NativeKey, registered.Id));
        }

        Symbols = new BinanceSymbolMap(symbols);
        Rejected = rejected;
        Source = path;
        _byId = byId;
    }

    /// <summary>The UTC day's exchange information from this REST URL; checked before it is cached, so a proxy's error page never stands in for it.</summary>
    private static Task<string> CachedAsync(BinanceOptions options, BinanceRestClient rest, DateOnly todayUtc, CancellationToken cancellationToken) =>
        InstrumentDumpCache.GetOrDownloadAsync(
            options.CacheDirectory, "binance-exchangeinfo", "json", options.RestUrl, todayUtc,
            rest.GetExchangeInfoAsync, json => BinanceExchangeInfo.Parse(json, "check"), cancellationToken);
}
