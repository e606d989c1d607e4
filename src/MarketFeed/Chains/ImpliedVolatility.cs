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

    /// <summary>The volatility giving <paramref name="price"/>, or false with why not.</summary>
    public static bool TrySolve(bool isCall, double price, double forward, double strike, double years, double rate, out double volatility, out IvFlag flag)
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
        if (Black76.Price(isCall, forward, strike, years, rate, high) < price || Black76.Price(isCall, forward, strike, years, rate, low) > price)
        {
            flag = IvFlag.OutOfRange;
            return false;
        }

        // Start where the at-the-money approximation (Brenner–Subrahmanyam) and moneyness agree roughly.
        double sqrtT = Math.Sqrt(years);
        double guess = Math.Max(Math.Sqrt(2 * Math.Abs(Math.Log(forward / strike)) / years), price / (discount * forward) * 2.506_628_274_631 / sqrtT);
        double sigma = Math.Clamp(guess, 0.05, 3);
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
                break;
            }

            double vega = Black76.Vega(forward, strike, years, rate, sigma);
            double next = vega > 0 ? sigma - (difference / vega) : double.NaN;
            sigma = next > low && next < high ? next : (low + high) / 2;
        }

        volatility = sigma;
        flag = IvFlag.None;
        return true;
    }
}
