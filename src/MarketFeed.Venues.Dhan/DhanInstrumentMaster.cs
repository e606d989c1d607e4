using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Dhan's instruments from the scrip master: (segment, security id) ↔ registry id, loaded from
/// <see cref="DhanOptions.InstrumentsFile"/> or downloaded and cached for the day under a name keyed by its source URL
/// (Dhan regenerates the file daily; a cache from another day or another URL is never used). Besides its canonical
/// symbol every instrument resolves by Dhan's own names: <c>NSE_FNO:44430</c>, the trading symbol
/// (<c>NIFTY-Oct2024-25800-CE</c>), the custom symbol users type (<c>ICICIGI 28 OCT 1860 CALL</c>) and the bare security
/// id — each only where it names one instrument.
/// </summary>
internal sealed class DhanInstrumentMaster
{
    private readonly Dictionary<InstrumentId, (byte Segment, int SecurityId)> _securityOf = [];

    public DhanSecurityMap Securities { get; private set; } = DhanSecurityMap.Empty;

    public int Rejected { get; private set; }

    /// <summary>Names that would have named more than one instrument, so resolve none.</summary>
    public int AmbiguousAliases { get; private set; }

    public string? Source { get; private set; }

    public int Count => _securityOf.Count;

    public bool Contains(InstrumentId instrument) => _securityOf.ContainsKey(instrument);

    public bool TryGetSecurity(InstrumentId instrument, out byte segment, out int securityId)
    {
        bool found = _securityOf.TryGetValue(instrument, out (byte Segment, int SecurityId) security);
        (segment, securityId) = security;
        return found;
    }

    public async Task LoadAsync(DhanOptions options, DhanRestClient rest, InstrumentRegistry registry, string feed, DateOnly today, CancellationToken cancellationToken)
    {
        string path = options.InstrumentsFile ?? await CachedAsync(options, rest, today, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new FeedConfigurationException($"Dhan:InstrumentsFile '{path}' does not exist");
        }

        using var reader = new StreamReader(path);
        (List<DhanScrip> rows, int rejected) = DhanScripMasterCsv.Parse(reader, feed);
        var entries = new List<(byte, int, InstrumentId, Price)>(rows.Count);
        var registered = new List<(DhanScrip Scrip, Instrument Instrument)>(rows.Count);
        foreach (DhanScrip scrip in rows)
        {
            Instrument instrument;
            try
            {
                instrument = registry.Register(scrip.Definition);
            }
            catch (InvalidOperationException)
            {
                // Same canonical symbol as another row (another series of one stock, say): the first row keeps it.
                rejected++;
                continue;
            }

            _securityOf[instrument.Id] = (scrip.Segment, scrip.SecurityId);
            entries.Add((scrip.Segment, scrip.SecurityId, instrument.Id, instrument.TickSize));
            registered.Add((scrip, instrument));
        }

        AmbiguousAliases = AddAliases(registry, registered);
        Securities = new DhanSecurityMap(entries);
        Rejected = rejected;
        Source = path;
    }

    private static int AddAliases(InstrumentRegistry registry, List<(DhanScrip Scrip, Instrument Instrument)> registered)
    {
        var names = new Dictionary<string, InstrumentId?>(StringComparer.OrdinalIgnoreCase);
        void Offer(string name, InstrumentId id)
        {
            if (name.Length > 0)
            {
                // A name two instruments share resolves neither: close matches are offered instead.
                names[name] = names.TryGetValue(name, out InstrumentId? held) && held != id ? null : id;
            }
        }

        foreach ((DhanScrip scrip, Instrument instrument) in registered)
        {
            Offer(scrip.Definition.NativeKey, instrument.Id);
            Offer(scrip.DhanTradingSymbol, instrument.Id);
            Offer(scrip.CustomSymbol, instrument.Id);
            Offer(scrip.SecurityId.ToString(CultureInfo.InvariantCulture), instrument.Id);
        }

        int ambiguous = 0;
        foreach ((string name, InstrumentId? id) in names)
        {
            if (id is { } unique)
            {
                registry.AddAlias(name, unique);
            }
            else
            {
                ambiguous++;
            }
        }

        return ambiguous;
    }

    private static async Task<string> CachedAsync(DhanOptions options, DhanRestClient rest, DateOnly today, CancellationToken cancellationToken)
    {
        string path = InstrumentDumpCache.PathFor(options.CacheDirectory, "dhan-scrip-master", "csv", options.ScripMasterUrl, today);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
            await using (FileStream file = File.Create(partial))
            {
                await rest.DownloadScripMasterAsync(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, path, overwrite: true);
        }

        return path;
    }
}
