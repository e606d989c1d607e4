namespace MarketFeed.Simulation;

/// <summary>
/// Black-76 on the forward for the simulator's option chain (European index options, as on NSE), with an implied
/// volatility smile: puts below the forward dearer than calls above it, both wings up. Calls and puts of a strike
/// therefore satisfy put–call parity with the underlying: C − P = S − K·e^(−rT).
/// </summary>
internal static class OptionPricer
{
    /// <summary>Shortest time to expiry priced (one hour), so expiry day keeps some time value until the close.</summary>
    private const double MinimumYears = 1.0 / (365 * 24);

    public static double Price(bool isCall, double spot, double strike, double yearsToExpiry, double rate, double volatility)
    {
        double t = Math.Max(yearsToExpiry, MinimumYears);
        double forward = spot * Math.Exp(rate * t);
        return Chains.Black76.Price(isCall, forward, strike, t, rate, volatility);
    }

    /// <summary>
    /// The implied volatility of a strike: quadratic in moneyness measured in at-the-money standard deviations,
    /// ln(K/F) / (σ_atm·√T), skewed so that out-of-the-money puts carry more volatility (as index options do).
    /// </summary>
    public static double Smile(double atmVolatility, double forward, double strike, double years)
    {
        double t = Math.Max(years, MinimumYears);
        double moneyness = Math.Clamp(Math.Log(strike / forward) / (atmVolatility * Math.Sqrt(t)), -4, 4);
        return atmVolatility * Math.Max(0.5, 1 - (0.10 * moneyness) + (0.045 * moneyness * moneyness));
    }

    /// <summary>Value if exercised now against <paramref name="spot"/>.</summary>
    public static double Intrinsic(bool isCall, double spot, double strike) => Math.Max(0, isCall ? spot - strike : strike - spot);

    public static double NormalCdf(double x) => Chains.Black76.NormalCdf(x);
}
