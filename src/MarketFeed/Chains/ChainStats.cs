using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>
/// The chain as a whole over its window: what it is priced on, the at-the-money strike, put-call ratios, max pain,
/// and how often a venue's own Greeks disagreed with ours. Ratios and prices are NaN / <see cref="Price.None"/> when
/// there is nothing to compute them from.
/// </summary>
public struct ChainStats
{
    /// <summary>The underlying's last price (NaN until it trades).</summary>
    public double Spot;

    /// <summary>The future's price (mid, else last) when the chain has one, else NaN.</summary>
    public double FuturePrice;

    /// <summary>The forward the options are priced on: the future's price, else spot carried at the rate.</summary>
    public double Forward;

    /// <summary>True when priced Black-76 on the future, false when Black–Scholes on spot.</summary>
    public bool OnFuture;

    /// <summary>Calendar years to the expiry time (days / 365).</summary>
    public double YearsToExpiry;

    public Price Atm;

    /// <summary>Put OI over call OI across the window.</summary>
    public double PcrOi;

    /// <summary>Put volume over call volume across the window.</summary>
    public double PcrVolume;

    /// <summary>The strike at which option holders of the window, by OI, would be paid least at expiry.</summary>
    public Price MaxPain;

    /// <summary>Index of the first and last strike of the window in <see cref="ChainDefinition.Strikes"/>.</summary>
    public int WindowFirst;

    public int WindowLast;

    /// <summary>Venue Greeks compared with ours, and how many differed beyond <see cref="ChainOptions.IvTolerancePoints"/> or <see cref="ChainOptions.DeltaTolerance"/>.</summary>
    public long GreeksCompared;

    public long GreeksDisagreements;

    /// <summary>The largest |venue IV − ours| seen, in volatility points.</summary>
    public double MaxIvDifferencePoints;
}
