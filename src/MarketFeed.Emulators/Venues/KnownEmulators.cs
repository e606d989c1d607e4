using MarketFeed.Emulators.Venues.Kite;

namespace MarketFeed.Emulators.Venues;

/// <summary>Every venue emulator this build ships, by venue name.</summary>
public static class KnownEmulators
{
    private static readonly Dictionary<string, Func<EmulatorSettings, CancellationToken, Task<IVenueEmulator>>> s_starters =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["kite"] = async (settings, token) => await KiteEmulator.StartAsync(
                new KiteEmulatorOptions { Port = settings.Port, Faults = settings.Faults, TicksPerInstrumentPerSecond = settings.TicksPerInstrumentPerSecond },
                token),
        };

    public static IReadOnlyCollection<string> Venues => [.. s_starters.Keys.Order()];

    /// <summary>Starts the emulator of <paramref name="venue"/>; null when there is none.</summary>
    /// <exception cref="ArgumentException">The settings (e.g. the fault spec) are not valid; the message says why.</exception>
    public static Task<IVenueEmulator>? TryStart(string venue, EmulatorSettings settings, CancellationToken cancellationToken) =>
        s_starters.TryGetValue(venue, out var start) ? start(settings, cancellationToken) : null;
}
