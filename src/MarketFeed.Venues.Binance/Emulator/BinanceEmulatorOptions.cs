namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>How <c>marketfeed emulate binance</c> runs. Defaults behave like Binance Spot.</summary>
public sealed class BinanceEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>Trades per second per symbol (a Poisson stream; 0 = none, the book still moves). Default 5.</summary>
    public double TradesPerSymbolPerSecond { get; set; } = 5;

    /// <summary>Levels per side of each symbol's book (at least 20). Default 1000.</summary>
    public int LevelsPerSide { get; set; } = 1000;

    /// <summary>REST request weight per minute before 429. Default 6000, Binance's.</summary>
    public int WeightPerMinute { get; set; } = 6000;

    /// <summary>The first ban (418) for calling during a 429's Retry-After; each further ban doubles, up to 3 days. Default 2 minutes.</summary>
    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Incoming messages per second per connection; one more and the connection is closed (1008). Default 5.</summary>
    public int MaxIncomingMessagesPerSecond { get; set; } = 5;

    /// <summary>The server pings every this long. Default 20 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A connection whose pong is this late is dropped. Default 1 minute.</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Connections are closed at this age, as Binance closes them at 24 h. Default 24 h.</summary>
    public TimeSpan MaxConnectionAge { get; set; } = TimeSpan.FromHours(24);

    public int Seed { get; set; } = 42;

    /// <summary>Faults on from the start, e.g. <c>silent,depthgap,ratelimit=5</c> (the shared faults and depthgap, shutdown=SECONDS, ban[=SECONDS]).</summary>
    public string? Faults { get; set; }
}
