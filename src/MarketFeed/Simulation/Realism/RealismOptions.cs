namespace MarketFeed.Simulation.Realism;

/// <summary>What the realism report simulates. Defaults give the table in docs/simulator.md.</summary>
public sealed class RealismOptions
{
    /// <summary>Simulator seed. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The NSE trading day simulated, from its 09:15 open. Default 2026-11-20 (a Friday).</summary>
    public DateOnly Date { get; set; } = new(2026, 11, 20);

    /// <summary>Minutes of trading simulated. Default 375 (the whole NSE session).</summary>
    public int Minutes { get; set; } = 375;

    /// <summary>Ticks per instrument per second, every instrument of the universe ticking. Default 1 (what Kite sends).</summary>
    public double TicksPerInstrumentPerSecond { get; set; } = 1;

    /// <summary>Strikes each side of the money in each chain. Default 10.</summary>
    public int StrikesEachSide { get; set; } = 10;
}
