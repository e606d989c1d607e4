using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Emulators.Venues.Kite;

namespace MarketFeed.Emulators.Venues;

/// <summary>Every venue whose decoder is fuzzed (<see cref="DecoderFuzzRun"/>), by venue name: a new venue adds its rig here.</summary>
public static class KnownFuzzRigs
{
    private static readonly Dictionary<string, Func<CancellationToken, Task<IFuzzRig>>> s_starters =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["kite"] = async token => await KiteFuzzRig.StartAsync(token),
        };

    public static IReadOnlyCollection<string> Venues => [.. s_starters.Keys.Order()];

    /// <summary>Starts the rig of <paramref name="venue"/>; null when there is none.</summary>
    public static Task<IFuzzRig>? TryStart(string venue, CancellationToken cancellationToken = default) =>
        s_starters.TryGetValue(venue, out var start) ? start(cancellationToken) : null;
}
