using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Venues.Kite.Emulator;

namespace MarketFeed.Venues.Kite;

/// <summary>Zerodha Kite as a venue package: feed, emulator and fuzz rig.</summary>
public sealed class KiteModule : IVenueModule
{
    public string Venue => "kite";

    public IFeedFactory Feed { get; } = new KiteFeedFactory();

    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await KiteEmulator.StartAsync(
            new KiteEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TicksPerInstrumentPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await KiteFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Kite:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            var defaults = new KiteEmulatorOptions();
            settings["Kite:StreamUrl"] = new UriBuilder(server) { Scheme = "ws" }.Uri.ToString();
            settings["Kite:RestUrl"] = server.GetLeftPart(UriPartial.Authority);
            settings["Kite:ApiKey"] = defaults.ApiKey;
            settings["Kite:AccessToken"] = defaults.AccessToken;
        }

        return settings;
    }
}
