using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Venues.Dhan.Emulator;

namespace MarketFeed.Venues.Dhan;

/// <summary>DhanHQ v2 as a venue package: feed, emulator and fuzz rig.</summary>
public sealed class DhanModule : IVenueModule
{
    public string Venue => "dhan";

    public IFeedFactory Feed { get; } = new DhanFeedFactory();

    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await DhanEmulator.StartAsync(
            new DhanEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TicksPerInstrumentPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await DhanFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Dhan:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            var defaults = new DhanEmulatorOptions();
            string rest = server.GetLeftPart(UriPartial.Authority);
            settings["Dhan:StreamUrl"] = new UriBuilder(rest) { Scheme = "ws" }.Uri.ToString();
            settings["Dhan:DepthUrl"] = new UriBuilder(rest) { Scheme = "ws", Path = "/twentydepth" }.Uri.ToString();
            settings["Dhan:RestUrl"] = rest;
            settings["Dhan:ScripMasterUrl"] = rest + "/api-data/api-scrip-master.csv";
            settings["Dhan:ClientId"] = defaults.ClientId;
            settings["Dhan:AccessToken"] = defaults.AccessToken;
        }

        return settings;
    }
}
