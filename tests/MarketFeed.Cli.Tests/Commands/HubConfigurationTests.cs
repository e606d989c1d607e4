using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class HubConfigurationTests
{
    [Fact]
    public async Task Hub_settings_come_from_configuration()
    {
        // By default every new series is seeded with two sessions of the feed's history.
        CliRun seeded = await CliRun.Run("candles", "NSE:INFY", "--interval", "5m", "--count", "500", "--seconds", "0.5", "--format", "csv");
        Assert.True(seeded.OutputLines.Length > 200, seeded.Output.ToString());

        var configuration = new Dictionary<string, string?>(CliRun.FastSimulator) { ["Hub:Candles:HistoryBars"] = "0" };
        CliRun unseeded = await CliRun.RunWith(configuration, new StringReader(""), null, "candles", "NSE:INFY", "--interval", "5m", "--count", "500", "--seconds", "0.5", "--format", "csv");
        Assert.Equal(0, unseeded.ExitCode);
        Assert.Equal(2, unseeded.OutputLines.Length);
        Assert.EndsWith(",false,live", unseeded.OutputLines[1]);
    }
}
