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
}
