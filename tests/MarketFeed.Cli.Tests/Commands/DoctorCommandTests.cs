using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class DoctorCommandTests
{
    [Fact]
    public async Task On_the_simulator_every_check_passes()
    {
        CliRun run = await CliRun.Run("doctor");
        Assert.Equal(0, run.ExitCode);
        string output = run.Output.ToString();
        foreach (string check in new[] { "configuration", "credentials", "instruments", "connectivity", "clock" })
        {
            Assert.Contains(run.OutputLines, l => l.StartsWith("ok", StringComparison.Ordinal) && l.Contains(check, StringComparison.Ordinal));
        }

        Assert.Contains("all checks passed", output);
    }

    [Fact]
    public async Task An_unknown_feed_fails_the_feed_check_naming_the_known_feeds()
    {
        CliRun run = await CliRun.Run("doctor", "--feed", "nosuch");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.OutputLines, l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains("available feeds are binance, coinbase, dhan, finnhub, kite, kraken, sim, upstox", StringComparison.Ordinal));
    }
}
