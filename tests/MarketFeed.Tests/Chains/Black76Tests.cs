using MarketFeed.Chains;
using MarketFeed.Model;

namespace MarketFeed.Tests.Chains;

public class Black76Tests
{
    private const double Rate = 0.065;

    [Theory]
    [InlineData(24_000, 22_000, 0.02, 0.12)]
    [InlineData(24_000, 24_000, 0.25, 0.18)]
    [InlineData(51_000, 56_000, 1.5, 0.35)]
    public void Calls_and_puts_satisfy_put_call_parity(double spot, double strike, double years, double volatility)
    {
        double forward = spot * Math.Exp(Rate * years);
        double call = Black76.Price(true, forward, strike, years, Rate, volatility);
        double put = Black76.Price(false, forward, strike, years, Rate, volatility);

        // C − P = S − K·e^(−rT) on spot, = (F − K)·e^(−rT) on the forward.
        Assert.Equal(spot - (strike * Math.Exp(-Rate * years)), call - put, 1e-8);
    }

    [Fact]
    public void The_normal_cdf_is_exact_to_double_precision_at_known_points()
    {
        Assert.Equal(0.5, Black76.NormalCdf(0), 15);
        Assert.Equal(0.841_344_746_068_542_9, Black76.NormalCdf(1), 14);
        Assert.Equal(0.022_750_131_948_179_2, Black76.NormalCdf(-2), 15);
        Assert.Equal(2.866_515_718_791_939e-7, Black76.NormalCdf(-5), 1e-16);
        Assert.Equal(1, Black76.NormalCdf(40));
        Assert.Equal(0, Black76.NormalCdf(-40));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Greeks_are_the_derivatives_of_the_price(bool isCall, bool onSpot)
    {
        const double underlying = 24_100, strike = 24_000, years = 20.0 / 365, volatility = 0.16;
        double Price(double u, double t, double v) => Black76.Price(isCall, onSpot ? u * Math.Exp(Rate * t) : u, strike, t, Rate, v);
        OptionGreeks greeks = Black76.Greeks(isCall, onSpot ? underlying * Math.Exp(Rate * years) : underlying, strike, years, Rate, volatility, onSpot);

        const double h = 0.5, dt = 1e-5, dv = 1e-5;
        double delta = (Price(underlying + h, years, volatility) - Price(underlying - h, years, volatility)) / (2 * h);
        double gamma = (Price(underlying + h, years, volatility) - (2 * Price(underlying, years, volatility)) + Price(underlying - h, years, volatility)) / (h * h);
        double thetaPerDay = (Price(underlying, years - dt, volatility) - Price(underlying, years + dt, volatility)) / (2 * dt) / 365;
        double vegaPerPoint = (Price(underlying, years, volatility + dv) - Price(underlying, years, volatility - dv)) / (2 * dv) / 100;

        Assert.Equal(delta, greeks.Delta, 6);
        Assert.Equal(gamma, greeks.Gamma, 6);
        Assert.Equal(thetaPerDay, greeks.Theta, 4);
        Assert.Equal(vegaPerPoint, greeks.Vega, 5);
        Assert.Equal(16, greeks.Iv, 10);
    }
}
