namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>How <c>marketfeed emulate dhan</c> runs. Defaults behave like Dhan: about one packet per second per instrument.</summary>
public sealed class DhanEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>The client id clients must present. Default <c>1000000001</c>.</summary>
    public string ClientId { get; set; } = "1000000001";

    /// <summary>The access token clients must present. Default <c>emulator-token</c>.</summary>
    public string AccessToken { get; set; } = "emulator-token";

    /// <summary>Ticks per second per subscribed instrument. Default 1.</summary>
    public double TicksPerInstrumentPerSecond { get; set; } = 1;

    public int Seed { get; set; } = 42;

    /// <summary>NIFTY option strikes each side of the money, per expiry (0 to 200): the size of the universe. Default 10.</summary>
    public int StrikesEachSide { get; set; } = 10;

    /// <summary>Faults on from the start, e.g. <c>silent,malformed,disconnect=805</c> (see <see cref="DhanEmulatorFaults"/>).</summary>
    public string? Faults { get; set; }
}
