using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub's instruments: symbol ↔ registry id, from the symbol lists of the configured stock exchanges, crypto
/// exchanges and forex brokers, each downloaded once per UTC day and REST URL and cached on disk (the US list alone
/// runs to tens of thousands of rows and costs a call of the minute's budget). Replaced whole on load, read lock-free
/// afterwards.
/// </summary>
internal sealed class FinnhubInstrumentMaster
{
    private Dictionary<InstrumentId, (string Symbol, FinnhubSymbolKind Kind)> _byId = [];

    public FinnhubSymbolMap Symbols { get; private set; } = new([]);

    public int Rejected { get; private set; }

    /// <summary>The lists loaded, for <c>doctor</c>: <c>stock US, crypto binance, forex oanda</c>.</summary>
    public string? Source { get; private set; }

    public int Count => _byId.Count;

    public bool Contains(InstrumentId instrument) => _byId.ContainsKey(instrument);

    /// <summary>The symbol as Finnhub spells it: <c>AAPL</c>, <c>BINANCE:BTCUSDT</c>.</summary>
    public bool TryGetSymbol(InstrumentId instrument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? symbol)
    {
        bool found = _byId.TryGetValue(instrument, out (string Symbol, FinnhubSymbolKind Kind) entry);
        symbol = found ? entry.Symbol : null;
        return found;
    }

    /// <summary>Which list the instrument came from (stock, crypto, forex): its candle endpoint.</summary>
    public FinnhubSymbolKind KindOf(InstrumentId instrument) => _byId.TryGetValue(instrument, out var entry) ? entry.Kind : FinnhubSymbolKind.Stock;

    public async Task LoadAsync(FinnhubOptions options, FinnhubRestClient rest, InstrumentRegistry registry, string feed, DateOnly todayUtc, CancellationToken cancellationToken)
    {
        var lists = new List<(FinnhubSymbolKind Kind, string Exchange)>();
        lists.AddRange(FinnhubOptions.List(options.StockExchanges).Select(e => (FinnhubSymbolKind.Stock, e)));
        lists.AddRange(FinnhubOptions.List(options.CryptoExchanges).Select(e => (FinnhubSymbolKind.Crypto, e)));
        lists.AddRange(FinnhubOptions.List(options.ForexExchanges).Select(e => (FinnhubSymbolKind.Forex, e)));
        if (lists.Count == 0)
        {
            throw new FeedConfigurationException("Finnhub: no symbol lists configured; set Finnhub:StockExchanges, Finnhub:CryptoExchanges or Finnhub:ForexExchanges");
        }

        var byId = new Dictionary<InstrumentId, (string, FinnhubSymbolKind)>();
        var symbols = new List<KeyValuePair<string, InstrumentId>>();
        int rejected = 0;
        foreach ((FinnhubSymbolKind kind, string exchange) in lists)
        {
            string path = await CachedAsync(options, rest, kind, exchange, todayUtc, cancellationToken).ConfigureAwait(false);
            byte[] json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            (List<Instrument> definitions, int bad) = FinnhubSymbolList.Parse(json, kind, exchange, feed);
            rejected += bad;
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

                if (byId.TryAdd(registered.Id, (registered.NativeKey, kind)))
                {
                    symbols.Add(new(registered.NativeKey, registered.Id));
                }
            }
        }

        Symbols = new FinnhubSymbolMap(symbols);
        Rejected = rejected;
        Source = string.Join(", ", lists.Select(l => $"{l.Kind.ToString().ToLowerInvariant()} {l.Exchange}"));
        _byId = byId;
    }

    /// <summary>The UTC day's list from this REST URL; parsed before it is cached, so an error page never stands in for it.</summary>
    private static Task<string> CachedAsync(FinnhubOptions options, FinnhubRestClient rest, FinnhubSymbolKind kind, string exchange, DateOnly todayUtc, CancellationToken cancellationToken) =>
        InstrumentDumpCache.GetOrDownloadAsync(
            options.CacheDirectory, $"finnhub-{kind.ToString().ToLowerInvariant()}-{Safe(exchange)}", "json", options.RestUrl, todayUtc,
            token => rest.GetSymbolsAsync(kind, exchange, token), json => FinnhubSymbolList.Parse(json, kind, exchange, "check"), cancellationToken);

    private static string Safe(string exchange) => new([.. exchange.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
