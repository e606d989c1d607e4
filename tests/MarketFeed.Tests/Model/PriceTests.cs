using MarketFeed.Model;

namespace MarketFeed.Tests.Model;

public class PriceTests
{
    [Theory]
    [InlineData(293450, 2, "2934.5")]
    [InlineData(5, 2, "0.05")]
    [InlineData(-1200, 2, "-12")]
    [InlineData(1, 8, "0.00000001")]
    [InlineData(123456789, 7, "12.3456789")]
    [InlineData(0, 0, "0")]
    public void Venue_scaled_integers_convert_exactly_and_print_shortest(long value, int decimals, string text)
    {
        Price price = Price.FromScaled(value, decimals);
        Assert.Equal(text, price.ToString());
        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), price.ToDecimal());
    }

    [Fact]
    public void Decimal_round_trips_without_binary_floating_point_error()
    {
        Price price = Price.FromDecimal(0.1m) + Price.FromDecimal(0.2m);
        Assert.Equal(0.3m, price.ToDecimal());
        Assert.Equal(Price.FromDecimal(0.3m), price);
    }

    [Theory]
    [InlineData(100.02, 0.05, 100.0)]
    [InlineData(100.03, 0.05, 100.05)]
    [InlineData(100.025, 0.05, 100.05)]
    [InlineData(7.3, 0.25, 7.25)]
    public void Rounds_to_the_tick_size(double value, double tick, double expected)
    {
        Price rounded = Price.FromDouble(value, Price.FromDecimal((decimal)tick));
        Assert.Equal(Price.FromDecimal((decimal)expected), rounded);
    }

    [Fact]
    public void Absent_is_not_zero_and_prints_nothing()
    {
        Assert.False(Price.None.HasValue);
        Assert.True(Price.Zero.HasValue);
        Assert.NotEqual(Price.Zero, Price.None);
        Assert.Equal("", Price.None.ToString());
    }

    [Theory]
    [InlineData("2934.5", true)]
    [InlineData("-0.05", true)]
    [InlineData("abc", false)]
    [InlineData("1e5", false)]
    public void Parses_plain_decimal_text(string text, bool ok)
    {
        Assert.Equal(ok, Price.TryParse(text, out Price price));
        if (ok)
        {
            Assert.Equal(text, price.ToString());
        }
    }
}
