using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Kite's instruments: token ↔ registry id, loaded from <see cref="KiteOptions.InstrumentsFile"/> or downloaded from
/// the REST API and cached for the day and source (Kite regenerates the dump daily and may reuse tokens after expiry,
/// so a cache from another day is never used; nor one from another REST URL or API key, such as the emulator's).
/// </summary>
public sealed class KiteInstrumentMaster
{
    private readonly Dictionary<InstrumentId, uint> _tokenOf = [];

    public KiteTokenMap Tokens { get; private set; } = new([]);

    public int Rejected { get; private set; }

    public string? Source { get; private set; }

    public int Count => _tokenOf.Count;

    public bool TryGetToken(InstrumentId instrument, out uint token) => _tokenOf.TryGetValue(instrument, out token);

    public async Task LoadAsync(KiteOptions options, KiteRestClient rest, InstrumentRegistry registry, string feed, DateOnly today, CancellationToken cancellationToken)
    {
        string path = options.InstrumentsFile ?? await CachedDumpAsync(options, rest, today, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new Feeds.FeedConfigurationException($"Kite:InstrumentsFile '{path}' does not exist");
        }

        using var reader = new StreamReader(path);
        (List<(uint Token, Instrument Instrument)> rows, int rejected) = KiteInstrumentCsv.Parse(reader, feed);
        var map = new List<KeyValuePair<uint, InstrumentId>>(rows.Count);
        foreach ((uint token, Instrument definition) in rows)
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

            _tokenOf[registered.Id] = token;
            map.Add(new(token, registered.Id));
        }

        Tokens = new KiteTokenMap(map);
        Rejected = rejected;
        Source = path;
    }

    /// <summary>The day's dump of this source: the REST base URL and the API key (another account may see other instruments).</summary>
    private static Task<string> CachedDumpAsync(KiteOptions options, KiteRestClient rest, DateOnly today, CancellationToken cancellationToken) =>
        InstrumentDumpCache.GetOrDownloadAsync(
            options.CacheDirectory, "kite-instruments", "csv", CacheSource(options), today,
            async token => System.Text.Encoding.UTF8.GetBytes(await rest.GetInstrumentsCsvAsync(token).ConfigureAwait(false)), validate: null, cancellationToken);

    internal static string CacheSource(KiteOptions options) => $"{options.RestUrl.TrimEnd('/')}|{options.ApiKey}";
}
