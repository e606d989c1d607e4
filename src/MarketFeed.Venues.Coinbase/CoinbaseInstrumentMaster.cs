using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase's instruments: product id ↔ registry id, from <see cref="CoinbaseOptions.InstrumentsFile"/> (a saved
/// products response) or downloaded and cached for the UTC day and REST URL (products are listed and delisted over
/// time, so a cache from another day is not used). Replaced whole on load, read lock-free afterwards.
/// </summary>
internal sealed class CoinbaseInstrumentMaster
{
    private Dictionary<InstrumentId, string> _byId = [];

    public CoinbaseProductMap Products { get; private set; } = new([]);

    public int Rejected { get; private set; }

    public string? Source { get; private set; }

    public int Count => _byId.Count;

    public bool Contains(InstrumentId instrument) => _byId.ContainsKey(instrument);

    /// <summary>The product id, <c>BTC-USD</c>.</summary>
    public bool TryGetProduct(InstrumentId instrument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? product) =>
        _byId.TryGetValue(instrument, out product);

    public async Task LoadAsync(CoinbaseOptions options, CoinbaseRestClient rest, InstrumentRegistry registry, string feed, DateOnly todayUtc, CancellationToken cancellationToken)
    {
        string path = options.InstrumentsFile ?? await CachedAsync(options, rest, todayUtc, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new FeedConfigurationException($"Coinbase:InstrumentsFile '{path}' does not exist");
        }

        byte[] json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        (List<Instrument> definitions, int rejected) = CoinbaseProducts.Parse(json, feed);
        var byId = new Dictionary<InstrumentId, string>(definitions.Count);
        var products = new List<KeyValuePair<string, InstrumentId>>(definitions.Count);
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

            byId[registered.Id] = registered.NativeKey;
            products.Add(new(registered.NativeKey, registered.Id));
        }

        Products = new CoinbaseProductMap(products);
        Rejected = rejected;
        Source = path;
        _byId = byId;
    }

    /// <summary>The UTC day's products from this REST URL; checked before it is cached, so a proxy's error page never stands in for it.</summary>
    private static Task<string> CachedAsync(CoinbaseOptions options, CoinbaseRestClient rest, DateOnly todayUtc, CancellationToken cancellationToken) =>
        InstrumentDumpCache.GetOrDownloadAsync(
            options.CacheDirectory, "coinbase-products", "json", options.RestUrl, todayUtc,
            rest.GetProductsAsync, json => CoinbaseProducts.Parse(json, "check"), cancellationToken);
}
