namespace MarketFeed.Chains;

/// <summary>How option chains are priced and windowed (configuration section <c>Chains</c>).</summary>
public sealed class ChainOptions
{
    /// <summary>Continuously compounded risk-free rate for discounting and for carrying spot to a forward. Default 0.065.</summary>
    public double RiskFreeRate { get; init; } = 0.065;

    /// <summary>Time of day, in the exchange's time zone, at which options expire (NSE: 15:30). Default 15:30.</summary>
    public TimeSpan ExpiryTime { get; init; } = new(15, 30, 0);

    /// <summary>Strikes each side of the money a chain streams when none is asked. Default 10.</summary>
    public int StrikesEachSide { get; init; } = 10;

    /// <summary>Most strikes each side one chain may ask for (2·N + 1 strikes, two options each). Default 100.</summary>
    public int MaxStrikesEachSide { get; init; } = 100;

    /// <summary>
    /// How far the at-the-money strike may move from the window's centre, in strikes, before the window follows it
    /// (re-subscribing the strikes that enter and leave). Default 0: a quarter of the strikes each side, at least 1.
    /// </summary>
    public int RecentreAfterStrikes { get; init; }

    /// <summary>Chains the gateway keeps live for its API and streams at once. Default 16.</summary>
    public int MaxSharedChains { get; init; } = 16;

    /// <summary>A venue's implied volatility further than this from ours, in volatility points, counts as a disagreement. Default 1.</summary>
    public double IvTolerancePoints { get; init; } = 1;

    /// <summary>A venue's delta further than this from ours counts as a disagreement. Default 0.05.</summary>
    public double DeltaTolerance { get; init; } = 0.05;

    internal int RecentreThreshold(int strikesEachSide) => RecentreAfterStrikes > 0 ? RecentreAfterStrikes : Math.Max(1, strikesEachSide / 4);
}
