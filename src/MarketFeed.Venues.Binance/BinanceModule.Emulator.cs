using MarketFeed.Emulators;
using MarketFeed.Emulators.Fuzzing;

namespace MarketFeed.Venues.Binance;

// STUB until the Binance emulator (MarketFeed.Venues.Binance.Emulator) is merged; this module is not in KnownVenues
// until then. Replace both bodies with the emulator's entry points, as KiteModule does:
//   await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { Port = settings.Port, Faults = settings.Faults,
//       TicksPerInstrumentPerSecond = settings.TicksPerInstrumentPerSecond }, cancellationToken).ConfigureAwait(false);
//   await BinanceFuzzRig.StartAsync(cancellationToken).ConfigureAwait(false);
public sealed partial class BinanceModule
{
    public Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Binance emulator is not in this build yet (BinanceModule.Emulator.cs is a stub).");

    public Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Binance fuzz rig is not in this build yet (BinanceModule.Emulator.cs is a stub).");
}
