using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Upstox's instruments: instrument key ↔ registry id, loaded from <see cref="UpstoxOptions.InstrumentsFile"/> or
/// downloaded from <see cref="UpstoxOptions.InstrumentsUrl"/> and cached for the day under a name derived from that URL
/// (the file is regenerated daily and drops expired contracts, so another day's or another source's copy is never
/// used). Every instrument key is also registered as an alias, so <c>NSE_EQ|INE002A01018</c> resolves wherever a
/// symbol does.
/// </summary>
public sealed class UpstoxInstrumentMaster
{
    private readonly Dictionary<InstrumentId, string> _keyOf = [];

    public UpstoxKeyMap Keys { get; private set; } = new([]);

    public int Rejected { get; private set; }

    public string? Source { get; private set; }

    public int Count => _keyOf.Count;

    public bool TryGetKey(InstrumentId instrument, out string key) => _keyOf.TryGetValue(instrument, out key!);

    public async Task LoadAsync(UpstoxOptions options, UpstoxRestClient rest, InstrumentRegistry registry, string feed, DateOnly today, CancellationToken cancellationToken)
    {
        string path = options.InstrumentsFile ?? await CachedFileAsync(options, rest, today, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new FeedConfigurationException($"Upstox:InstrumentsFile '{path}' does not exist");
        }

        (List<Instrument> rows, int rejected) = await UpstoxInstrumentFile.ReadAsync(path, feed, cancellationToken).ConfigureAwait(false);
        var map = new List<KeyValuePair<string, UpstoxKeyEntry>>(rows.Count);
        foreach (Instrument definition in rows)
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

            _keyOf[registered.Id] = registered.NativeKey;
            registry.AddAlias(registered.NativeKey, registered.Id);
            map.Add(new(registered.NativeKey, new UpstoxKeyEntry(registered.Id, registered.IsOption)));
        }

        Keys = new UpstoxKeyMap(map);
        Rejected = rejected;
        Source = path;
    }

    /// <summary>The cache file of a source and day (named by the shared instrument dump cache: day and a digest of the URL).</summary>
    public static string CachePath(UpstoxOptions options, DateOnly today) =>
        InstrumentDumpCache.PathFor(options.CacheDirectory, "upstox-instruments", "json.gz", options.InstrumentsUrl, today);

    private static async Task<string> CachedFileAsync(UpstoxOptions options, UpstoxRestClient rest, DateOnly today, CancellationToken cancellationToken)
    {
        string path = CachePath(options, today);
        if (!File.Exists(path))
        {
            // Downloaded beside it and moved into place: the cached file appears whole or not at all.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
            await rest.DownloadInstrumentsAsync(partial, cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }
}
