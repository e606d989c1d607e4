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
        return Black76(isCall, forward, strike, t, rate, volatility);
    }

    public static double Black76(bool isCall, double forward, double strike, double years, double rate, double volatility)
    {
        double sqrtT = Math.Sqrt(years);
        double d1 = (Math.Log(forward / strike) + (volatility * volatility * years / 2)) / (volatility * sqrtT);
        double d2 = d1 - (volatility * sqrtT);
        double discount = Math.Exp(-rate * years);
        return isCall
            ? discount * ((forward * NormalCdf(d1)) - (strike * NormalCdf(d2)))
            : discount * ((strike * NormalCdf(-d2)) - (forward * NormalCdf(-d1)));
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

    /// <summary>Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error below 1.5e-7).</summary>
    public static double NormalCdf(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2);
        double t = 1.0 / (1.0 + (0.3275911 * z));
        double polynomial = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        double erf = 1 - (polynomial * Math.Exp(-z * z));
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
