namespace MarketFeed.Simulation;

/// <summary>Simulator settings (configuration section <c>Sim</c>). Defaults give a lively 24/7 market with no credentials.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Same seed, same sequence of operations → same ticks. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Total ticks per second across subscribed instruments; 0 uses <see cref="TicksPerInstrumentPerSecond"/>. Up to several million for load tests.</summary>
    public double TicksPerSecond { get; set; }

    /// <summary>Ticks per second per subscribed instrument when <see cref="TicksPerSecond"/> is 0. Default 4.</summary>
    public double TicksPerInstrumentPerSecond { get; set; } = 4;

    /// <summary>How often the emission loop wakes. Default 10 ms.</summary>
    public TimeSpan StepInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Tick only while each instrument's exchange session is open (otherwise 24/7). Default false.</summary>
    public bool FollowSessionHours { get; set; }

    /// <summary>
    /// L2 order books for the instruments whose venue has them (BINANCE:BTCUSDT, ETHUSDT): a snapshot when one is first
    /// wanted or asked for, then one diff per tick, with contiguous update ids. Default true.
    /// </summary>
    public bool Books { get; set; } = true;

    /// <summary>Fault for tests: keep sending instruments after they are unsubscribed, like a venue that ignores an unsubscribe.</summary>
    public bool IgnoreUnsubscribes { get; set; }

    /// <summary>Strikes each side of the money in the NIFTY chain (per expiry, CE and PE). Default 10 (84 options).</summary>
    public int StrikesEachSide { get; set; } = 10;

    /// <summary>
    /// NSE holidays observed with <see cref="FollowSessionHours"/> (no ticks, no daily bars); null uses the list the
    /// exchange published (<see cref="Instruments.NseHolidays"/>), empty none. Configuration: <c>Sim:Holidays:0=2026-12-25</c>, …
    /// </summary>
    public IList<DateOnly>? Holidays { get; set; }

    /// <summary>The day the option chain and futures are built around; default today in the exchange's zone.</summary>
    public DateOnly? UniverseDate { get; set; }
}
