namespace MarketFeed.LoadTest.Fanout;

/// <summary>What one phase (one server under the same load clients) measured.</summary>
internal sealed record PhaseResult(
    string Name,
    double Seconds,
    double MessagesPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    int Failed,
    double HarnessCpu,
    double ServerCpu,
    GatewayFigures? Gateway,
    FrozenComparison? Frozen = null);

/// <summary>The gateway's own counters over the measured window (the baseline has none).</summary>
internal sealed record GatewayFigures(double AdmittedPerSecond, long IngestFull, double HubConflatedPerSecond, double ClientConflatedPerSecond, double EncodedPerSecond, string ServerP99);

/// <summary>The other clients' p99 and ticks/s in the windows without and with a frozen client.</summary>
internal sealed record FrozenComparison(double P99WithoutMs, double P99WithMs, double TicksPerSecondWithout, double TicksPerSecondWith)
{
    public double P99Ratio => P99WithMs / P99WithoutMs;
}
