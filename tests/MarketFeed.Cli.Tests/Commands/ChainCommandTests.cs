using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class ChainCommandTests
{
    [Fact]
    public async Task The_table_has_calls_left_puts_right_and_marks_the_money()
    {
        CliRun run = await CliRun.Run("chain", "NIFTY", "--strikes", "3", "--count", "2", "--interval", "0.2");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.OutputLines;

        // Two tables: a title line, a column header and 7 strikes each.
        Assert.Equal(18, lines.Length);
        Assert.Matches(@"^NIFTY \d{4}-\d{2}-\d{2}  NSE:NIFTY 50 \d+\.\d{2}  forward \d+\.\d{2} \((future|spot)\)", lines[0]);
        Assert.Contains("ATM ", lines[0]);
        Assert.Contains("max pain", lines[0]);
        Assert.Contains("ΔOI vs previous day", lines[9]);
        Assert.Matches(@"OI .* LTP \|\s+STRIKE \| .*LTP .* OI$", lines[1]);
        string[] rows = lines[2..9];
        Assert.Single(rows, r => r.Contains("| > ", StringComparison.Ordinal));
        Assert.Equal(3, Array.FindIndex(rows, r => r.Contains("| > ", StringComparison.Ordinal)));
        Assert.Single(rows.Select(r => r.Length).Distinct());
    }

    [Fact]
    public async Task Jsonl_prints_a_snapshot_then_updates_in_sequence()
    {
        CliRun run = await CliRun.Run("chain", "BANKNIFTY", "--strikes", "2", "--count", "4", "--format", "jsonl");
        Assert.Equal(0, run.ExitCode);
        JsonElement[] views = [.. run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        Assert.Equal(4, views.Length);
        Assert.True(views[0].GetProperty("snapshot").GetBoolean());
        Assert.Equal(5, views[0].GetProperty("strikes").GetArrayLength());
        Assert.True(views.Zip(views.Skip(1)).All(p => p.Second.GetProperty("seq").GetInt64() > p.First.GetProperty("seq").GetInt64()));
    }

    [Theory]
    [InlineData("NSE:RELIANCE has no options listed; underlyings with options: BANKNIFTY, NIFTY", "chain", "NSE:RELIANCE")]
    [InlineData("no options expiring 2000-01-04; expiries listed:", "chain", "NIFTY", "--expiry", "2000-01-04")]
    [InlineData("--strikes must be 1 to 100", "chain", "NIFTY", "--strikes", "0")]
    [InlineData("must be positive", "chain", "NIFTY", "--count", "0")]
    public async Task Bad_input_exits_2_with_one_line_saying_what_to_fix(string expected, params string[] args)
    {
        CliRun run = await CliRun.Run(args);
        Assert.Equal(2, run.ExitCode);
        string error = run.Error.ToString().Trim();
        Assert.DoesNotContain('\n', error);
        Assert.Contains(expected, error);
        Assert.Empty(run.Output.ToString());
    }
}
