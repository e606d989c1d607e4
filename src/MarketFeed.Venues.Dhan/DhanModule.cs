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
}
