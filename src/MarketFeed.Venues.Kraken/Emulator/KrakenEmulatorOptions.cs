namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>How <c>marketfeed emulate kraken</c> runs. Defaults behave like Kraken Spot.</summary>
public sealed class KrakenEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>Trades per second per pair (a Poisson stream; 0 = none, the book still moves). Default 5.</summary>
    public double TradesPerSymbolPerSecond { get; set; } = 5;

    /// <summary>Levels per side of each pair's book (at least 1000 lets every depth fill). Default 1000.</summary>
    public int LevelsPerSide { get; set; } = 1000;

    /// <summary>Requests per second per connection; past it Kraken answers "Exceeded msg rate" and closes. Default 20.</summary>
    public int MaxIncomingMessagesPerSecond { get; set; } = 20;

    /// <summary>Public REST calls per second per client before <c>EAPI:Rate limit exceeded</c>. Default 5.</summary>
    public int RestCallsPerSecond { get; set; } = 5;

    /// <summary>A subscribed connection quiet this long gets a heartbeat. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int Seed { get; set; } = 42;

    /// <summary>Faults on from the start, e.g. <c>silent,badchecksum,ratelimit=5</c> (the shared faults and badchecksum).</summary>
    public string? Faults { get; set; }
}
