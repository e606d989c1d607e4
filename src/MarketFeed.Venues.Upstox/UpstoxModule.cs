using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Venues.Upstox.Emulator;

namespace MarketFeed.Venues.Upstox;

/// <summary>Upstox as a venue package: feed, emulator and fuzz rig.</summary>
public sealed class UpstoxModule : IVenueModule
{
    public string Venue => "upstox";

    public IFeedFactory Feed { get; } = new UpstoxFeedFactory();

    public async Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        await UpstoxEmulator.StartAsync(
            new UpstoxEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TicksPerInstrumentPerSecond = settings.TicksPerInstrumentPerSecond },
            cancellationToken).ConfigureAwait(false);

    public async Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        await UpstoxFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory)
    {
        var settings = new Dictionary<string, string?> { ["Upstox:CacheDirectory"] = cacheDirectory };
        if (server is not null)
        {
            string rest = server.GetLeftPart(UriPartial.Authority);
            settings["Upstox:RestUrl"] = rest;
            settings["Upstox:InstrumentsUrl"] = rest + UpstoxEmulator.InstrumentsPath;
            settings["Upstox:AccessToken"] = new UpstoxEmulatorOptions().AccessToken;
        }

        return settings;
    }
}
