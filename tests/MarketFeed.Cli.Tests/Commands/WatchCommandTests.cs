using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class WatchCommandTests
{
    [Fact]
    public async Task Jsonl_prints_exactly_count_ticks_in_the_tick_shape()
    {
        CliRun run = await CliRun.Run("watch", "NSE:RELIANCE", "NSE:NIFTY BANK", "--count", "7", "--format", "jsonl");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(7, run.OutputLines.Length);
        // A healthy start says one thing on stderr, and only because this feed is the simulator.
        Assert.Equal("marketfeed: feed sim is simulated (24/7): its prices are not a real market's", run.Error.ToString().Trim());
        foreach (string line in run.OutputLines)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement tick = json.RootElement;
            Assert.Equal("tick", tick.GetProperty("type").GetString());
            Assert.Contains(tick.GetProperty("symbol").GetString(), new[] { "NSE:RELIANCE", "NSE:NIFTY BANK" });
            Assert.Equal(JsonValueKind.Number, tick.GetProperty("ltp").ValueKind);
            Assert.EndsWith("+05:30", tick.GetProperty("exchangeTime").GetString());
        }
    }

    [Fact]
    public async Task Text_prints_a_header_and_one_aligned_line_per_tick()
    {
        CliRun run = await CliRun.Run("watch", "NSE:INFY", "BINANCE:BTCUSDT", "--count", "6");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.OutputLines;
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("SYMBOL", lines[0]);
        Assert.Single(lines.Select(l => l.Length).Distinct());
        Assert.Contains(lines, l => l.StartsWith("BINANCE:BTCUSDT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seconds_ends_the_stream()
    {
        CliRun run = await CliRun.Run("watch", "NSE:INFY", "--seconds", "2", "--format", "jsonl");
        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(run.OutputLines);
    }

    [Fact]
    public async Task An_unknown_symbol_exits_2_with_one_line_naming_close_matches()
    {
        CliRun run = await CliRun.Run("watch", "NSE:RELIANC", "--count", "1");
        Assert.Equal(2, run.ExitCode);
        string error = run.Error.ToString().Trim();
        Assert.DoesNotContain('\n', error);
        Assert.Contains("did you mean NSE:RELIANCE", error);
        Assert.Empty(run.Output.ToString());
    }

    [Theory]
    [InlineData("watch", "NSE:INFY", "--mode", "depth")]
    [InlineData("watch", "NSE:INFY", "--count", "0")]
    [InlineData("watch")]
    [InlineData("watch", "NSE:INFY", "--feed", "nosuchfeed")]
    public async Task Bad_usage_exits_2_with_one_line(params string[] args)
    {
        CliRun run = await CliRun.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("marketfeed: ", run.Error.ToString());
        Assert.Single(run.Error.ToString().Trim().Split('\n'));
    }
}
