namespace CePeBreakout;

/// <summary>The watcher's parameters. Prices are exact decimals; percentages are of the entry price.</summary>
public sealed record BreakoutSettings(DateTime OpeningRangeEndUtc, decimal StopPercent = 3m, decimal TargetPercent = 5m);
