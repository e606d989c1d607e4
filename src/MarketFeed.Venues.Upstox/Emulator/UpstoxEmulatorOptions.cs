namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>How <c>marketfeed emulate upstox</c> runs. Defaults behave like Upstox: about one update per second per instrument.</summary>
public sealed class UpstoxEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>The bearer token clients must present. Default <c>emulator-token</c>.</summary>
    public string AccessToken { get; set; } = "emulator-token";

    /// <summary>Updates per second per subscribed instrument. Default 1.</summary>
    public double TicksPerInstrumentPerSecond { get; set; } = 1;

    public int Seed { get; set; } = 42;

    /// <summary>NIFTY option strikes each side of the money, per expiry (0 to 200). Default 10.</summary>
    public int StrikesEachSide { get; set; } = 10;

    /// <summary>Faults on from the start, e.g. <c>silent,malformed,ratelimit=5</c> (see <see cref="MarketFeed.Emulators.Faults.EmulatorFaults.Apply"/>).</summary>
    public string? Faults { get; set; }
}
