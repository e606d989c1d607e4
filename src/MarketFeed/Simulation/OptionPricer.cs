namespace MarketFeed.Simulation;

/// <summary>Black–Scholes for the simulator's option chain, so calls and puts stay consistent with the underlying (put–call parity).</summary>
internal static class OptionPricer
{
    public static double Price(bool isCall, double spot, double strike, double yearsToExpiry, double rate, double volatility)
    {
        double t = Math.Max(yearsToExpiry, 1.0 / (365 * 24));
        double sqrtT = Math.Sqrt(t);
        double d1 = (Math.Log(spot / strike) + ((rate + (volatility * volatility / 2)) * t)) / (volatility * sqrtT);
        double d2 = d1 - (volatility * sqrtT);
        double discount = Math.Exp(-rate * t);
        return isCall
            ? (spot * NormalCdf(d1)) - (strike * discount * NormalCdf(d2))
            : (strike * discount * NormalCdf(-d2)) - (spot * NormalCdf(-d1));
    }

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
