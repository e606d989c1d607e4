using System.Globalization;
using MarketFeed.Emulators.Faults;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// The faults of a Dhan emulator, from one spec string: the shared <see cref="EmulatorFaults"/> and Dhan's own
/// <c>disconnect=CODE</c> — every main feed connection gets Dhan's disconnect packet with that reason (800–814: 805
/// too many connections, 806 no data plan, 807 token expired, 808 authentication failed, …) and is closed, once.
/// An unknown name fails with both lists.
/// </summary>
public sealed class DhanEmulatorFaults(EmulatorFaults shared)
{
    public const string Names = "disconnect=CODE (800-814)";
    private int _disconnect;

    public EmulatorFaults Shared { get; } = shared;

    /// <summary>The pending disconnect reason, taken; 0 when none is pending.</summary>
    public int TakeDisconnect() => Interlocked.Exchange(ref _disconnect, 0);

    /// <exception cref="ArgumentException">An unknown fault or a bad code; the message lists the valid ones.</exception>
    public void Apply(string spec)
    {
        var rest = new List<string>();
        int? disconnect = null;
        foreach (string raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = raw.TrimStart('-').Split('=', 2);
            if (parts[0].Equals("disconnect", StringComparison.OrdinalIgnoreCase))
            {
                disconnect = raw.StartsWith('-') ? 0
                    : parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code is >= 800 and <= 814 ? code
                    : throw new ArgumentException($"fault 'disconnect' needs one of Dhan's reason codes 800 to 814 after '=', e.g. disconnect=805");
            }
            else
            {
                rest.Add(raw);
            }
        }

        if (rest.Count > 0)
        {
            try
            {
                Shared.Apply(string.Join(',', rest));
            }
            catch (ArgumentException e) when (e.Message.StartsWith("unknown fault", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{e.Message}; Dhan also has {Names}", e);
            }
        }

        if (disconnect is { } pending)
        {
            Interlocked.Exchange(ref _disconnect, pending);
        }
    }

    public override string ToString() => $"{Shared}, disconnect={(Volatile.Read(ref _disconnect) is var d and > 0 ? d.ToString(CultureInfo.InvariantCulture) + " pending" : "none")}";
}
