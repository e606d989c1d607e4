using MarketFeed.Chains;

namespace MarketFeed.Tests.Chains;

public class ImpliedVolatilityTests
{
    private const double Rate = 0.065;

    public static TheoryData<double> Years => new() { 1.0 / 365, 7.0 / 365, 30.0 / 365, 0.5, 2 };

    [Theory]
    [MemberData(nameof(Years))]
    public void Recovers_the_volatility_a_price_was_made_with_to_a_hundredth_of_a_point(double years)
    {
        const double forward = 24_000;
        int solved = 0;
        foreach (double volatility in new[] { 0.03, 0.08, 0.14, 0.25, 0.5, 1.0, 2.5 })
        {
            for (double strike = 12_000; strike <= 40_000; strike += 250)
            {
                foreach (bool isCall in new[] { true, false })
                {
                    double price = Black76.Price(isCall, forward, strike, years, Rate, volatility);
                    double intrinsic = Math.Exp(-Rate * years) * Math.Max(0, isCall ? forward - strike : strike - forward);

                    // Inside the bounds with a time value a venue could quote (a paisa): below that no price tells volatilities apart.
                    if (price - intrinsic < 0.01)
                    {
                        continue;
                    }

                    Assert.True(ImpliedVolatility.TrySolve(isCall, price, forward, strike, years, Rate, out double implied, out IvFlag flag),
                        $"no IV for {(isCall ? "call" : "put")} K={strike} T={years} σ={volatility}: {flag}");
                    Assert.True(Math.Abs(implied - volatility) * 100 < 0.01, $"K={strike} T={years} σ={volatility}: solved {implied}");
                    solved++;
                }
            }
        }

        Assert.True(solved > 300, $"only {solved} cases were inside the bounds");
    }

    [Fact]
    public void A_price_at_or_below_intrinsic_has_no_volatility_and_says_so()
    {
        double discountedIntrinsic = Math.Exp(-Rate * 0.1) * (24_000 - 23_000);
        Assert.False(ImpliedVolatility.TrySolve(true, discountedIntrinsic - 5, 24_000, 23_000, 0.1, Rate, out double iv, out IvFlag flag));
        Assert.Equal((0d, IvFlag.BelowIntrinsic), (iv, flag));
        Assert.False(ImpliedVolatility.TrySolve(true, discountedIntrinsic, 24_000, 23_000, 0.1, Rate, out _, out flag));
        Assert.Equal(IvFlag.BelowIntrinsic, flag);
        Assert.False(ImpliedVolatility.TrySolve(false, 1, 24_000, 25_000, 0.1, Rate, out _, out flag));
        Assert.Equal(IvFlag.BelowIntrinsic, flag);
    }

    [Fact]
    public void A_price_at_or_above_the_underlying_has_no_volatility_and_says_so()
    {
        Assert.False(ImpliedVolatility.TrySolve(true, 24_000, 24_000, 23_000, 0.1, Rate, out _, out IvFlag flag));
        Assert.Equal(IvFlag.AboveBound, flag);
        Assert.False(ImpliedVolatility.TrySolve(false, 25_000, 24_000, 25_000, 0.1, Rate, out _, out flag));
        Assert.Equal(IvFlag.AboveBound, flag);
    }

    [Theory]
    [InlineData(double.NaN, 24_000, 0.1, IvFlag.NoPrice)]
    [InlineData(0, 24_000, 0.1, IvFlag.NoPrice)]
    [InlineData(-3, 24_000, 0.1, IvFlag.NoPrice)]
    [InlineData(double.PositiveInfinity, 24_000, 0.1, IvFlag.NoPrice)]
    [InlineData(100, double.NaN, 0.1, IvFlag.NoTime)]
    [InlineData(100, 24_000, 0, IvFlag.NoTime)]
    [InlineData(100, 24_000, -1, IvFlag.NoTime)]
    public void Missing_or_impossible_inputs_give_a_flag_never_nan(double price, double forward, double years, IvFlag expected)
    {
        Assert.False(ImpliedVolatility.TrySolve(true, price, forward, 24_000, years, Rate, out double iv, out IvFlag flag));
        Assert.Equal(expected, flag);
        Assert.False(double.IsNaN(iv));
    }

    [Fact]
    public void A_starting_guess_anywhere_reaches_the_same_volatility()
    {
        double price = Black76.Price(false, 24_000, 23_500, 0.05, Rate, 0.18);
        foreach (double guess in new[] { 0.0002, 0.01, 0.17, 0.18, 0.5, 3, 9.9, double.NaN, -1, 50 })
        {
            Assert.True(ImpliedVolatility.TrySolve(false, price, 24_000, 23_500, 0.05, Rate, out double iv, out _, guess));
            Assert.Equal(0.18, iv, 8);
        }
    }

    [Fact]
    public void A_volatility_below_what_is_searched_is_out_of_range()
    {
        double price = Black76.Price(true, 24_000, 24_000, 1, Rate, 0.00005);
        Assert.False(ImpliedVolatility.TrySolve(true, price, 24_000, 24_000, 1, Rate, out _, out IvFlag flag));
        Assert.Equal(IvFlag.OutOfRange, flag);
    }

    [Fact]
    public void A_volatility_beyond_what_is_searched_is_out_of_range()
    {
        double price = Black76.Price(true, 24_000, 24_000, 1, Rate, 12);
        Assert.False(ImpliedVolatility.TrySolve(true, price, 24_000, 24_000, 1, Rate, out _, out IvFlag flag));
        Assert.Equal(IvFlag.OutOfRange, flag);
    }
}
