using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Venues.Binance.Emulator;

namespace MarketFeed.Venues.Binance;

/// <summary>The emulator half of the module.</summary>
public sealed partial class BinanceModule
{
    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await BinanceEmulator.StartAsync(
            new BinanceEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TradesPerSymbolPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await BinanceFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Binance:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            settings["Binance:StreamUrl"] = new UriBuilder(server) { Scheme = "ws" }.Uri.ToString().TrimEnd('/');
            settings["Binance:RestUrl"] = server.GetLeftPart(UriPartial.Authority);
        }

        return settings;
    }
}
