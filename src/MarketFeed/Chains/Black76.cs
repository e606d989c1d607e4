namespace MarketFeed.Chains;

/// <summary>
/// Black-76 for European options on a forward F (a future, or spot carried at the rate: F = S·e^(rT), which makes it
/// Black–Scholes on spot): price, sensitivities and the normal distribution they rest on. Years are calendar years
/// (days / 365); the rate is continuously compounded. The one implementation of the model here: the
/// simulator prices its options with it and the chains invert it.
/// </summary>
public static class Black76
{
    private const double InverseSqrtTwoPi = 0.398_942_280_401_432_7;

    /// <summary>The option's value today.</summary>
    public static double Price(bool isCall, double forward, double strike, double years, double rate, double volatility)
    {
        double discount = Math.Exp(-rate * years);
        double sd = volatility * Math.Sqrt(years);
        if (sd <= 0)
        {
            return discount * Math.Max(0, isCall ? forward - strike : strike - forward);
        }

        double d1 = (Math.Log(forward / strike) / sd) + (sd / 2);
        double d2 = d1 - sd;
        return isCall
            ? discount * ((forward * NormalCdf(d1)) - (strike * NormalCdf(d2)))
            : discount * ((strike * NormalCdf(-d2)) - (forward * NormalCdf(-d1)));
    }

    /// <summary>
    /// Sensitivities to the underlying the price was taken on: the forward itself when <paramref name="onSpot"/> is
    /// false (an option priced off its future), else spot with F = S·e^(rT). Delta and gamma per unit of that
    /// underlying, theta per calendar day, vega per volatility point (0.01); <see cref="Model.OptionGreeks.Iv"/> is
    /// <paramref name="volatility"/> in percent.
    /// </summary>
    public static Model.OptionGreeks Greeks(bool isCall, double forward, double strike, double years, double rate, double volatility, bool onSpot)
    {
        double sqrtT = Math.Sqrt(years);
        double sd = volatility * sqrtT;
        double discount = Math.Exp(-rate * years);
        double d1 = (Math.Log(forward / strike) / sd) + (sd / 2);
        double d2 = d1 - sd;
        double density = NormalPdf(d1);
        double price = isCall
            ? discount * ((forward * NormalCdf(d1)) - (strike * NormalCdf(d2)))
            : discount * ((strike * NormalCdf(-d2)) - (forward * NormalCdf(-d1)));
        double deltaF = discount * (isCall ? NormalCdf(d1) : NormalCdf(d1) - 1);
        double gammaF = discount * density / (forward * sd);
        double vega = forward * discount * density * sqrtT;
        double thetaF = (-forward * discount * density * volatility / (2 * sqrtT)) + (rate * price);
        if (!onSpot)
        {
            return new Model.OptionGreeks(deltaF, gammaF, thetaF / 365, vega / 100, volatility * 100);
        }

        // dF/dS = e^(rT); at fixed spot the forward decays as time passes (dF/dt = −rF).
        double carry = 1 / discount;
        return new Model.OptionGreeks(deltaF * carry, gammaF * carry * carry, (thetaF - (rate * forward * deltaF)) / 365, vega / 100, volatility * 100);
    }

    /// <summary>d(price)/d(volatility) per unit of volatility (not per point): what the implied-volatility solver steps by.</summary>
    public static double Vega(double forward, double strike, double years, double rate, double volatility)
    {
        double sqrtT = Math.Sqrt(years);
        double sd = volatility * sqrtT;
        double d1 = (Math.Log(forward / strike) / sd) + (sd / 2);
        return forward * Math.Exp(-rate * years) * NormalPdf(d1) * sqrtT;
    }

    public static double NormalPdf(double x) => InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);

    /// <summary>Standard normal CDF, absolute error below 1e-15 (Hart 1968, as given by West 2005), so inverted prices stay exact.</summary>
    public static double NormalCdf(double x)
    {
        double z = Math.Abs(x);
        double tail;
        if (z > 37)
        {
            tail = 0;
        }
        else if (z < 7.071_067_811_865_47)
        {
            double e = Math.Exp(-z * z / 2);
            double numerator = ((((((((0.035_262_496_599_891_1 * z) + 0.700_383_064_443_688) * z) + 6.373_962_203_531_65) * z) + 33.912_866_078_383)
                * z) + 112.079_291_497_871) * z;
            numerator = (((numerator + 221.213_596_169_931) * z) + 220.206_867_912_376) * e;
            double denominator = ((((((((((((0.088_388_347_648_318_4 * z) + 1.755_667_163_182_64) * z) + 16.064_177_579_207) * z)
                + 86.780_732_202_946_1) * z) + 296.564_248_779_674) * z) + 637.333_633_378_831) * z) + 793.826_512_519_948) * z;
            tail = numerator / (denominator + 440.413_735_824_752);
        }
        else
        {
            double continued = z + (1 / (z + (2 / (z + (3 / (z + (4 / (z + 0.65))))))));
            tail = Math.Exp(-z * z / 2) / continued / 2.506_628_274_631;
        }

        return x > 0 ? 1 - tail : tail;
    }
}
