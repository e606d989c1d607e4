using System.Globalization;

namespace MarketFeed.Emulators.Venues.Kite;

/// <summary>Faults the emulator injects, switchable at start (<c>--faults</c>) and at run time (<c>POST /_emulator/faults</c>).</summary>
public sealed class KiteEmulatorFaults
{
    private int _rateLimitRemaining;

    /// <summary>Reject every WebSocket upgrade and REST call with 403, as Kite does for a bad or expired token.</summary>
    public bool RejectAuth { get; set; }

    /// <summary>Keep sockets open but send nothing at all, not even heartbeats.</summary>
    public bool Silent { get; set; }

    /// <summary>Mix malformed frames (truncated, unknown packet length, unparseable text) into the stream.</summary>
    public bool Malformed { get; set; }

    /// <summary>Refuse WebSocket connections (HTTP 503) while REST keeps working: the stream is down, polling is possible.</summary>
    public bool RefuseStream { get; set; }

    /// <summary>The next N REST calls answer 429 Too Many Requests.</summary>
    public int RateLimitNext
    {
        get => Volatile.Read(ref _rateLimitRemaining);
        set => Volatile.Write(ref _rateLimitRemaining, value);
    }

    internal bool TakeRateLimit()
    {
        int remaining;
        do
        {
            remaining = Volatile.Read(ref _rateLimitRemaining);
            if (remaining <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _rateLimitRemaining, remaining - 1, remaining) != remaining);

        return true;
    }

    /// <summary>Parses <c>auth,silent,malformed,refuse,ratelimit=N</c>; a leading <c>-</c> turns one off.</summary>
    public void Apply(string spec)
    {
        foreach (string raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool on = !raw.StartsWith('-');
            string[] parts = raw.TrimStart('-').Split('=', 2);
            switch (parts[0].ToLowerInvariant())
            {
                case "auth":
                    RejectAuth = on;
                    break;
                case "silent":
                    Silent = on;
                    break;
                case "malformed":
                    Malformed = on;
                    break;
                case "refuse":
                    RefuseStream = on;
                    break;
                case "ratelimit":
                    RateLimitNext = on ? (parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 5) : 0;
                    break;
                default:
                    throw new ArgumentException($"unknown fault '{parts[0]}': use auth, silent, malformed, refuse, ratelimit=N (prefix - to turn off)");
            }
        }
    }

    public override string ToString() =>
        $"auth={RejectAuth}, silent={Silent}, malformed={Malformed}, refuse={RefuseStream}, ratelimit={RateLimitNext}";
}
