using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Venues.Coinbase.Emulator;

namespace MarketFeed.Venues.Coinbase;

/// <summary>The emulator half of the module.</summary>
public sealed partial class CoinbaseModule
{
    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await CoinbaseEmulator.StartAsync(
            new CoinbaseEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TradesPerProductPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await CoinbaseFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Coinbase:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            settings["Coinbase:StreamUrl"] = new UriBuilder(server) { Scheme = "ws" }.Uri.ToString().TrimEnd('/');
            settings["Coinbase:RestUrl"] = server.GetLeftPart(UriPartial.Authority);
        }

        return settings;
    }
}
