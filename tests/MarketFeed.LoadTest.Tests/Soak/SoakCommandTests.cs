using MarketFeed.LoadTest.Soak;

namespace MarketFeed.LoadTest.Tests.Soak;

public class SoakCommandTests
{
    [Theory]
    [InlineData("--durration", "1h")]
    [InlineData("--duration", "soon")]
    [InlineData("--rate")]
    [InlineData("--symbols", "500")]
    [InlineData("--faults", "/no/such/schedule")]
    [InlineData("--duration", "1m", "--warmup", "2m")]
    [InlineData("--out", "/no/such/directory/soak.csv")]
    public async Task A_bad_flag_prints_usage_and_exits_2(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(2, await SoakCommand.RunAsync(args, output, error));
        Assert.StartsWith("soak: ", error.ToString());
        Assert.Contains("usage: MarketFeed.LoadTest soak", error.ToString());
    }

    [Fact]
    public void Flags_override_the_documented_defaults()
    {
        SoakSettings defaults = SoakCommand.Parse([]);
        Assert.Equal((TimeSpan.FromHours(1), 50_000d, 50), (defaults.Duration, defaults.Rate, defaults.Clients));
        Assert.Equal(TimeSpan.FromSeconds(87), defaults.RecoveryAllowance);

        SoakSettings set = SoakCommand.Parse(["--duration", "10m", "--rate", "20000", "--faults", "none", "--reconnect-max", "5s", "--auth-retry", "5s"]);
        Assert.Equal((TimeSpan.FromMinutes(10), 20_000d), (set.Duration, set.Rate));
        Assert.Empty(set.Faults.Steps);
        Assert.Equal(TimeSpan.FromSeconds(21), set.RecoveryAllowance);
    }

    [Fact]
    public async Task Show_faults_prints_the_default_schedule()
    {
        var output = new StringWriter();
        Assert.Equal(0, await SoakCommand.RunAsync(["--show-faults"], output, new StringWriter()));
        Assert.Contains("refuse,drop", output.ToString());
    }
}
