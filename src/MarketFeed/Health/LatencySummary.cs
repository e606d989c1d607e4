namespace MarketFeed.Health;

/// <summary>A feed's exchange-to-receive latency over the last minute: median and 99th percentile in milliseconds, and how many ticks they cover.</summary>
public sealed record LatencySummary(double P50Ms, double P99Ms, long Samples);
