using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

/// <summary>float32 prices made exact on the tick size: the fast paths must agree with the plain arithmetic they replace.</summary>
public sealed class DhanPriceTests
{
    private static readonly DhanSecurity s_paise5 = new(new InstrumentId(1), Price.FromDecimal(0.05m), 0);

    [Fact]
    public void Rounding_by_the_shift_equals_math_round_ties_to_even()
    {
        var random = new Random(7);
        double[] edges = [0, 0.5, 1.5, 2.5, 2.4999999999, 2.5000000001, 20_000_000_000.5, 1e13 + 0.5, 1e15 - 0.5];
        foreach (double value in edges.Concat(Enumerable.Range(0, 100_000).Select(_ => random.NextDouble() * 2e10)))
        {
            Assert.Equal((long)Math.Round(value), DhanDecoder.RoundToWhole(value));
        }
    }

    [Theory]
    [InlineData(0f, true, null)]
    [InlineData(-0.01f, false, null)]
    [InlineData(float.NaN, false, null)]
    [InlineData(float.PositiveInfinity, false, null)]
    [InlineData(float.NegativeInfinity, false, null)]
    [InlineData(1e9f, false, null)]
    [InlineData(999_999_936f, true, "999999936")]
    [InlineData(152.3f, true, "152.30")]
    [InlineData(152.32f, true, "152.30")]
    [InlineData(152.33f, true, "152.35")]
    [InlineData(float.Epsilon, true, "0")]
    public void A_float_price_is_refused_none_or_exact_on_the_tick_as_its_double_would_be(float value, bool accepted, string? exact)
    {
        Assert.Equal(accepted, DhanDecoder.TryPrice(value, in s_paise5, out Price fromFloat));
        Assert.Equal(accepted, DhanDecoder.TryPrice((double)value, in s_paise5, out Price fromDouble));
        Assert.Equal(fromDouble, fromFloat);
        Assert.Equal(exact is null ? Price.None : Price.FromDecimal(decimal.Parse(exact, System.Globalization.CultureInfo.InvariantCulture)), fromFloat);
    }
}
