namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>How <c>marketfeed emulate kite</c> runs. Defaults behave like Kite: about one tick per second per instrument.</summary>
public sealed class KiteEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>The api_key clients must present. Default <c>emulator-key</c>.</summary>
    public string ApiKey { get; set; } = "emulator-key";

    /// <summary>The access_token clients must present. Default <c>emulator-token</c>.</summary>
    public string AccessToken { get; set; } = "emulator-token";

    /// <summary>Ticks per second per subscribed instrument. Default 1 (Kite's snapshot cadence).</summary>
    public double TicksPerInstrumentPerSecond { get; set; } = 1;

    /// <summary>A 1-byte heartbeat is sent after this long without a frame. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int Seed { get; set; } = 42;

    /// <summary>NIFTY option strikes each side of the money, per expiry (0 to 200): the size of the universe. Default 10.</summary>
    public int StrikesEachSide { get; set; } = 10;

    /// <summary>
    /// The exchange's clock: tick times, quotes and "today" of the instrument list. Default the system clock; tests pass
    /// a manual one (shared with the gateway) to play minutes of trading in a moment. The send loop itself runs in real time.
    /// </summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Faults on from the start, e.g. <c>silent,malformed,ratelimit=5</c> (see <see cref="MarketFeed.Emulators.Faults.EmulatorFaults.Apply"/>).</summary>
    public string? Faults { get; set; }
}
