using MarketFeed.Candles;

namespace MarketFeed.Tests.Candles;

public class CandleIntervalTests
{
    [Theory]
    [InlineData("1s", 1, "1s")]
    [InlineData("59s", 59, "59s")]
    [InlineData("1m", 60, "1m")]
    [InlineData("3min", 180, "3m")]
    [InlineData("60min", 3600, "1h")]
    [InlineData("1h", 3600, "1h")]
    [InlineData("75m", 4500, "75m")]
    [InlineData("1440m", 86400, "1d")]
    [InlineData("1d", 86400, "1d")]
    [InlineData(" 5M ", 300, "5m")]
    public void Parses_every_documented_form(string text, int seconds, string label)
    {
        CandleInterval interval = CandleInterval.Parse(text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), interval.Length);
        Assert.Equal(label, interval.Label);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("0m")]
    [InlineData("60s")]
    [InlineData("1441m")]
    [InlineData("2d")]
    [InlineData("5x")]
    [InlineData("m5")]
    public void Rejects_what_is_out_of_range_with_a_message_saying_what_is_allowed(string text)
    {
        Assert.False(CandleInterval.TryParse(text, out _, out string? error));
        Assert.Contains("interval", error);
    }
}
