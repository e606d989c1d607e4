using System.Globalization;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>The stream settings every venue's fuzz rig runs its feed with (section <c>{Venue}:Stream</c>).</summary>
public static class FuzzRigSettings
{
    /// <summary>Short timeouts so recoveries play out in a fuzz run, and a small frame limit so oversized frames stay cheap.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Stream(string section, int maxFrameBytes) =>
    [
        new($"{section}:Stream:IdleTimeout", "00:00:05"),
        new($"{section}:Stream:ReconnectBaseDelay", "00:00:00.100"),
        new($"{section}:Stream:ReconnectMaxDelay", "00:00:00.500"),
        new($"{section}:Stream:MaxFrameBytes", maxFrameBytes.ToString(CultureInfo.InvariantCulture)),
    ];
}
