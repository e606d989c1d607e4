using MarketFeed.LoadTest.Fanout;

namespace MarketFeed.LoadTest.Tests.Fanout;

public class FanoutSettingsTests
{
    [Fact]
    public void Defaults_are_the_issue_target_one_round()
    {
        Assert.Equal(new FanoutSettings(1_000, 10, 10_000, 15, 1, false, false, false), FanoutSettings.Parse([]));
    }

    [Fact]
    public void Numbers_and_flags_mix_in_any_order()
    {
        Assert.Equal(
            new FanoutSettings(500, 5, 2_000, 20, 3, true, true, false, WarmUpSeconds: 4),
            FanoutSettings.Parse(["--frozen", "500", "5", "--rounds", "3", "2000", "--warmup", "4", "20", "--batch"]));
    }

    [Theory]
    [InlineData("--fast", "unknown option --fast")]
    [InlineData("ten", "'ten' is not a whole number")]
    [InlineData("--rounds", "--rounds takes a whole number")]
    [InlineData("--warmup", "--warmup takes whole seconds")]
    [InlineData("0", "must all be positive")]
    public void Bad_arguments_say_what_to_fix(string arg, string message)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => FanoutSettings.Parse([arg]));
        Assert.Contains(message, e.Message);
    }
}
