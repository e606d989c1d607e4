using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class InstrumentsCommandTests
{
    [Fact]
    public async Task Search_lists_calls_of_the_strike_nearest_expiry_first()
    {
        CliRun run = await CliRun.Run("instruments", "search", "NIFTY", "24000", "CE", "--format", "jsonl");
        Assert.Equal(0, run.ExitCode);
        var found = run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, found.Count);
        Assert.All(found, i => Assert.Equal(("call", "24000"), (i.GetProperty("kind").GetString(), i.GetProperty("strike").GetRawText())));
        Assert.True(string.CompareOrdinal(found[0].GetProperty("expiry").GetString(), found[1].GetProperty("expiry").GetString()) < 0);
    }

    [Fact]
    public async Task Table_output_starts_with_the_best_match()
    {
        CliRun run = await CliRun.Run("instruments", "search", "reliance");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("SYMBOL", run.OutputLines[0]);
        Assert.StartsWith("NSE:RELIANCE ", run.OutputLines[1]);
    }

    [Fact]
    public async Task No_match_is_a_runtime_failure_with_a_message()
    {
        CliRun run = await CliRun.Run("instruments", "search", "zzzz");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no instrument matches 'zzzz'", run.Error.ToString());
    }
}
