namespace MarketFeed.Server.Api.Schemas;

/// <summary>
/// An option chain (written by <c>ChainJson</c>): the window's strikes ascending, each with its call and put. Volatilities
/// are in percent; an absent figure is null. On the streams an update has the same shape with <c>snapshot</c> false
/// and only the strikes that changed.
/// </summary>
internal sealed class ChainResponse
{
    /// <summary>Always <c>chain</c>.</summary>
    public required string Type { get; init; }

    public required bool Snapshot { get; init; }

    /// <summary>+1 per recompute; each strike carries the value at which it last changed.</summary>
    public required long Seq { get; init; }

    /// <summary>The underlying's symbol ("NSE:NIFTY 50").</summary>
    public required string Underlying { get; init; }

    /// <summary>The options' root ("NIFTY").</summary>
    public required string Root { get; init; }

    public required string Feed { get; init; }

    /// <summary>yyyy-MM-dd.</summary>
    public required string Expiry { get; init; }

    public required int LotSize { get; init; }

    public required int StrikesEachSide { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary><c>future</c> (Black-76 on the future of the expiry) or <c>spot</c> (Black–Scholes on the underlying).</summary>
    public required string Basis { get; init; }

    /// <summary>The future of the expiry, when listed.</summary>
    public required string? Future { get; init; }

    public required decimal? Spot { get; init; }

    public required decimal? FuturePrice { get; init; }

    /// <summary>The forward the options are priced on.</summary>
    public required decimal? Forward { get; init; }

    /// <summary>Calendar days to the expiry time (15:30 exchange time by default).</summary>
    public required double? DaysToExpiry { get; init; }

    /// <summary>The continuously compounded rate used (Chains:RiskFreeRate).</summary>
    public required double Rate { get; init; }

    public required decimal? Atm { get; init; }

    public required double? PcrOi { get; init; }

    public required double? PcrVolume { get; init; }

    public required decimal? MaxPain { get; init; }

    /// <summary>Venue Greeks compared with ours so far.</summary>
    public required long GreeksCompared { get; init; }

    /// <summary>Comparisons beyond Chains:IvTolerancePoints or Chains:DeltaTolerance.</summary>
    public required long GreeksDisagreements { get; init; }

    /// <summary>Largest |venue IV − ours| so far, in volatility points.</summary>
    public required double? MaxIvDifference { get; init; }

    public required ChainStrikeResponse[] Strikes { get; init; }
}
