using System.Text;
using MarketFeed.Model;

namespace MarketFeed.Tests.Model;

public class FixedPointTests
{
    [Theory]
    [InlineData("50000.12000000", 5_000_012_000_000)]
    [InlineData("0.00000001", 1)]
    [InlineData("0.001", 100_000)]
    [InlineData("100", 10_000_000_000)]
    [InlineData("0", 0)]
    [InlineData("000123.4", 12_340_000_000)]
    [InlineData("1.1234567800000000000", 112_345_678)]
    [InlineData("92233720368.54775807", long.MaxValue)]
    [InlineData("1.99999999", 199_999_999)]
    [InlineData("0.90000001", 90_000_001)]
    [InlineData("7.12345678000", 712_345_678)]
    [InlineData("0000000000000000000000001.5", 150_000_000)]
    public void Utf8_decimals_parse_exactly(string text, long raw)
    {
        Assert.True(FixedPoint.TryParseUtf8(Encoding.UTF8.GetBytes(text), out long parsed));
        Assert.Equal(raw, parsed);
        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), FixedPoint.ToDecimal(parsed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("+5")]
    [InlineData("-5")]
    [InlineData("1e5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1.000000001")]
    [InlineData("0.123456789")]
    [InlineData("92233720368.54775808")]
    [InlineData("92233720369")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("NaN")]
    [InlineData("1.1234567:")]
    [InlineData("1.123456/8")]
    [InlineData("1.12345678x")]
    [InlineData("1.12345678 ")]
    [InlineData("1.1234\u00005678")]
    [InlineData("92233720368.54775808000")]
    [InlineData("١٢")]
    public void Utf8_text_that_is_not_an_exact_unsigned_decimal_is_refused(string text)
    {
        Assert.False(FixedPoint.TryParseUtf8(Encoding.UTF8.GetBytes(text), out long raw));
        Assert.Equal(0, raw);
    }

    [Fact]
    public void A_minus_sign_is_read_only_where_allowed_and_a_plus_never()
    {
        Assert.True(FixedPoint.TryParseUtf8("-12.5"u8, out long raw, allowSign: true));
        Assert.Equal(-1_250_000_000, raw);
        Assert.True(FixedPoint.TryParseUtf8("-92233720368.54775807"u8, out raw, allowSign: true));
        Assert.Equal(-long.MaxValue, raw);
        Assert.False(FixedPoint.TryParseUtf8("-12.5"u8, out _));
        Assert.False(FixedPoint.TryParseUtf8("+12.5"u8, out _, allowSign: true));
        Assert.False(FixedPoint.TryParseUtf8("--1"u8, out _, allowSign: true));
    }

    [Fact]
    public void Price_and_quantity_read_utf8_and_say_none_when_they_cannot()
    {
        Assert.True(Price.TryParseUtf8("25.35190000"u8, out Price price));
        Assert.Equal(Price.FromDecimal(25.3519m), price);
        Assert.True(Quantity.TryParseUtf8("31.21000000"u8, out Quantity quantity));
        Assert.Equal(Quantity.FromDecimal(31.21m), quantity);
        Assert.False(Price.TryParseUtf8("abc"u8, out price));
        Assert.Equal(Price.None, price);
        Assert.False(Quantity.TryParseUtf8(""u8, out quantity));
        Assert.Equal(Quantity.None, quantity);
    }
}
