namespace MarketFeed.LoadTest.Soak;

/// <summary>Everything a soak run is told: load, length, faults, gateway timing and the pass criteria. Defaults: the documented 1 h run.</summary>
internal sealed record SoakSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Ticks per second the emulator sends into the gateway, all instruments together.</summary>
    public double Rate { get; init; } = 50_000;

    public int Clients { get; init; } = 50;

    public int SymbolsPerClient { get; init; } = 20;

    /// <summary>The start of the run that memory growth and stalls ignore (JIT, candle series being created, history seeding).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the samples go (CSV); the gateway's own output goes beside it (<c>.gateway.log</c>).</summary>
    public string Output { get; init; } = "soak.csv";

    public FaultSchedule Faults { get; init; } = FaultSchedule.Default;

    /// <summary>A client with no tick for this long, outside a fault and its recovery, is a stall.</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a fault (or overlapping faults) ends the feed must be connected with ticks flowing; null: from the gateway's timing.</summary>
    public TimeSpan? Recovery { get; init; }

    /// <summary>Memory growth fails when the median RSS of the last quarter exceeds the second quarter's by this factor…</summary>
    public double GrowthFactor { get; init; } = 1.2;

    /// <summary>…and by at least this many MiB (small absolute changes of a small process are noise).</summary>
    public double GrowthMegabytes { get; init; } = 50;

    /// <summary>The gateway's <c>Kite:Stream</c> timing; defaults are the gateway's own.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FailoverAfter { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan AuthRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public int Seed { get; init; } = 42;

    /// <summary>Test hook: a rewrite of what one client receives before it is checked (index, its symbols) → rewrite or null.</summary>
    public Func<int, IReadOnlyList<string>, Func<string, string>?>? Tamper { get; init; }

    /// <summary>
    /// The slowest recovery the gateway's timing allows: an auth retry or a full reconnect back-off (+20 % jitter),
    /// plus one idle timeout to notice a dead socket, plus 5 s of slack.
    /// </summary>
    public TimeSpan RecoveryAllowance => Recovery ?? TimeSpan.FromTicks(Math.Max(AuthRetryDelay.Ticks, (long)(ReconnectMaxDelay.Ticks * 1.2))) + IdleTimeout + TimeSpan.FromSeconds(5);

    /// <summary>The gateway's configuration, as the environment variables a user would set.</summary>
    public Dictionary<string, string> GatewayTiming() => new()
    {
        ["MARKETFEED_Kite__Stream__IdleTimeout"] = IdleTimeout.ToString("c"),
        ["MARKETFEED_Kite__Stream__FailoverAfter"] = FailoverAfter.ToString("c"),
        ["MARKETFEED_Kite__Stream__AuthRetryDelay"] = AuthRetryDelay.ToString("c"),
        ["MARKETFEED_Kite__Stream__ReconnectMaxDelay"] = ReconnectMaxDelay.ToString("c"),
    };
}
