namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>How <c>marketfeed emulate coinbase</c> runs. Defaults behave like Coinbase Advanced Trade.</summary>
public sealed class CoinbaseEmulatorOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>Trades per second per product (a Poisson stream; 0 = none, the book still moves). Default 5.</summary>
    public double TradesPerProductPerSecond { get; set; } = 5;

    /// <summary>Levels per side of each product's book (at least 10). Default 200.</summary>
    public int LevelsPerSide { get; set; } = 200;

    /// <summary>Incoming messages per second per connection (Coinbase: 8 unauthenticated per IP); one more gets an error and the connection is closed. Default 8.</summary>
    public int MaxIncomingMessagesPerSecond { get; set; } = 8;

    /// <summary>A connection that has not subscribed to anything this long after it opened is closed (Coinbase: 5 s). Default 5 s.</summary>
    public TimeSpan SubscribeDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>REST requests per second per client before 429. Default 10.</summary>
    public int RestRequestsPerSecond { get; set; } = 10;

    public int Seed { get; set; } = 42;

    /// <summary>Faults on from the start, e.g. <c>silent,seqgap,ratelimit=5</c> (the shared faults and seqgap, reject=PRODUCT).</summary>
    public string? Faults { get; set; }
}
