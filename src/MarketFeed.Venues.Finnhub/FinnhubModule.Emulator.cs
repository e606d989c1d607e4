using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Venues.Finnhub.Emulator;

namespace MarketFeed.Venues.Finnhub;

/// <summary>The emulator half of the module.</summary>
public sealed partial class FinnhubModule
{
    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await FinnhubEmulator.StartAsync(
            new FinnhubEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TradesPerSymbolPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await FinnhubFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Finnhub:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            settings["Finnhub:StreamUrl"] = new UriBuilder(server) { Scheme = "ws" }.Uri.ToString().TrimEnd('/');
            settings["Finnhub:RestUrl"] = server.GetLeftPart(UriPartial.Authority) + "/api/v1";
            settings["Finnhub:Token"] = FinnhubEmulatorOptions.DefaultToken;
        }

        return settings;
    }
}
