using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;

namespace MarketFeed.Emulators;

/// <summary>
/// What a venue package registers, the same way for every venue: its feed (for <c>--feed NAME</c>), its emulator
/// (for <c>marketfeed emulate NAME</c> and tests) and its decoder fuzz rig. A host lists the modules it ships.
/// </summary>
public interface IVenueModule
{
    /// <summary>The venue name users type, lower case (<c>kite</c>, <c>binance</c>).</summary>
    string Venue { get; }

    IFeedFactory Feed { get; }

    /// <summary>Starts the venue's emulator on 127.0.0.1.</summary>
    /// <exception cref="ArgumentException">The settings (e.g. the fault spec) are not valid; the message says why.</exception>
    Task<IVenueEmulator> StartEmulatorAsync(EmulatorSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Configuration (keys of this venue's section) that keeps the feed's instrument cache in
    /// <paramref name="cacheDirectory"/> and, when <paramref name="server"/> is given, points the feed at a server
    /// speaking the venue's protocol at that base address (its emulator, or a raw-journal replay) with the emulator's
    /// credentials — the same paths the emulator serves.
    /// </summary>
    IReadOnlyDictionary<string, string?> ConfigurationFor(Uri? server, string cacheDirectory);

    /// <summary>Starts the venue's decoder fuzz rig (emulator plus feed over loopback).</summary>
    Task<IFuzzRig> StartFuzzRigAsync(CancellationToken cancellationToken);
}
