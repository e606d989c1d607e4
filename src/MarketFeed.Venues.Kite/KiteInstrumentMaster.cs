using System.Globalization;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Kite's instruments: token ↔ registry id, loaded from <see cref="KiteOptions.InstrumentsFile"/> or downloaded from
/// the REST API and cached for the day (Kite regenerates the dump daily and may reuse tokens after expiry, so a
/// cache from another day is never used).
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

    private static async Task<string> CachedDumpAsync(KiteOptions options, KiteRestClient rest, DateOnly today, CancellationToken cancellationToken)
    {
        string directory = options.CacheDirectory ?? Path.Combine(Path.GetTempPath(), "marketfeed");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"kite-instruments-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
        if (!File.Exists(path))
        {
            string csv = await rest.GetInstrumentsCsvAsync(cancellationToken).ConfigureAwait(false);
            string partial = path + ".partial";
            await File.WriteAllTextAsync(partial, csv, cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }
}
