namespace MarketFeed.Chains;

/// <summary>
/// Implied volatility by inverting <see cref="Black76.Price"/>: Newton steps on vega kept inside a bracket that
/// bisection shrinks, so it converges for any price strictly inside the no-arbitrage bounds and never returns NaN
/// or throws: outside them the result is absent with an <see cref="IvFlag"/>. No allocation.
/// </summary>
public static class ImpliedVolatility
{
    public const double MinVolatility = 1e-4;
    public const double MaxVolatility = 10;
    private const int MaxIterations = 100;

    /// <summary>
    /// The volatility giving <paramref name="price"/>, or false with why not. <paramref name="guess"/> (the option's
    /// previous IV, say) starts the search where the answer probably is; NaN starts from an estimate.
    /// </summary>
    public static bool TrySolve(
        bool isCall, double price, double forward, double strike, double years, double rate, out double volatility, out IvFlag flag, double guess = double.NaN)
    {
        volatility = 0;
        if (!(price > 0) || double.IsInfinity(price))
        {
            flag = IvFlag.NoPrice;
            return false;
        }

        if (!(years > 0) || !(forward > 0) || !(strike > 0) || double.IsInfinity(forward) || double.IsNaN(rate))
        {
            flag = IvFlag.NoTime;
            return false;
        }

        double discount = Math.Exp(-rate * years);
        double lower = discount * Math.Max(0, isCall ? forward - strike : strike - forward);
        double upper = discount * (isCall ? forward : strike);
        // A price within a hair of a bound is one no volatility distinguishes from it.
        double tolerance = 1e-12 * upper;
        if (price <= lower + tolerance)
        {
            flag = IvFlag.BelowIntrinsic;
            return false;
        }

        if (price >= upper - tolerance)
        {
            flag = IvFlag.AboveBound;
            return false;
        }

        double low = MinVolatility, high = MaxVolatility;
        double sigma;
        if (guess > MinVolatility && guess < MaxVolatility)
        {
            sigma = guess;
        }
        else
        {
            // Start where the at-the-money approximation (Brenner–Subrahmanyam) and moneyness agree roughly.
            double estimate = Math.Max(Math.Sqrt(2 * Math.Abs(Math.Log(forward / strike)) / years), price / (discount * forward) * 2.506_628_274_631 / Math.Sqrt(years));
            sigma = Math.Clamp(estimate, 0.05, 3);
        }

        bool converged = false;
        for (int i = 0; i < MaxIterations; i++)
        {
            double difference = Black76.Price(isCall, forward, strike, years, rate, sigma) - price;
            if (difference > 0)
            {
                high = sigma;
            }
            else
            {
                low = sigma;
            }

            if (Math.Abs(difference) <= 1e-12 * price || high - low < 1e-12)
            {
                converged = Math.Abs(difference) <= 1e-9 * price;
                break;
            }

            double vega = Black76.Vega(forward, strike, years, rate, sigma);
            double next = vega > 0 ? sigma - (difference / vega) : double.NaN;
            sigma = next > low && next < high ? next : (low + high) / 2;
        }

        // Squeezed against an end of the search without matching the price: the volatility lies beyond it.
        if (!converged)
        {
            flag = IvFlag.OutOfRange;
            return false;
        }

        volatility = sigma;
        flag = IvFlag.None;
        return true;
    }
}
