using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Venues.Kraken.Emulator;

namespace MarketFeed.Venues.Kraken;

/// <summary>The emulator half of the module.</summary>
public sealed partial class KrakenModule
{
    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await KrakenEmulator.StartAsync(
            new KrakenEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TradesPerSymbolPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await KrakenFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Kraken:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            settings["Kraken:StreamUrl"] = new UriBuilder(server) { Scheme = "ws", Path = "/v2" }.Uri.ToString();
            settings["Kraken:RestUrl"] = server.GetLeftPart(UriPartial.Authority);
        }

        return settings;
    }
}
