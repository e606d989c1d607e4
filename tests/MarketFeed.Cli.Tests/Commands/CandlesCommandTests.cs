using MarketFeed.Candles;
using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.History;

namespace MarketFeed.Cli.Tests.Commands;

public sealed class CandlesCommandTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("mf-cli-candles-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task Csv_lists_closed_candles_and_the_forming_one_built_from_live_ticks()
    {
        CliRun run = await RunAsync("candles", "NSE:INFY", "--interval", "1s", "--seconds", "2.5", "--format", "csv");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.OutputLines;
        Assert.Equal("start,open,high,low,close,volume,ticks,closed,origin", lines[0]);
        string[][] rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.True(rows.Length >= 2, run.Output.ToString());
        Assert.Equal("false", rows[^1][7]);
        Assert.All(rows[..^1], r => Assert.Equal("true", r[7]));
        Assert.All(rows, r => Assert.True(decimal.Parse(r[2]) >= decimal.Parse(r[3])));
        Assert.Equal("live", rows[^1][8]);
    }

    [Fact]
    public async Task The_first_request_for_an_interval_waits_for_its_history_instead_of_saying_no_candles_yet()
    {
        CliRun run = await RunAsync("candles", "NSE:INFY", "--interval", "5m", "--count", "3", "--format", "csv");
        Assert.Equal(0, run.ExitCode);
        Assert.False(run.Error.ToString().Contains("no 5m candles", StringComparison.Ordinal), run.Error + "\n" + run.Output);
        string[][] closed = [.. run.OutputLines.Skip(1).Select(l => l.Split(',')).Where(r => r[7] == "true")];
        Assert.True(closed.Length == 3, run.Output.ToString());
        Assert.All(closed, r => Assert.Equal("history", r[8]));
    }

    [Fact]
    public async Task The_history_it_loads_is_kept_in_the_candle_store_for_the_next_run()
    {
        CliRun run = await RunAsync("candles", "NSE:INFY", "--interval", "15m", "--count", "5", "--format", "csv");
        Assert.Equal(0, run.ExitCode);

        await using var store = new SqliteCandleStore(Path.Combine(_data.FullName, "candles.db"));
        IReadOnlyList<Candle> stored = await store.ReadAsync("NSE:INFY", CandleInterval.Parse("15m"), DateTime.MinValue, DateTime.MaxValue, CancellationToken.None);
        Assert.True(stored.Count >= 5, $"{stored.Count} stored");
        string[] shown = [.. run.OutputLines.Skip(1).Select(l => l.Split(',')).Where(r => r[7] == "true").Select(r => r[0])];
        Assert.Equal(shown, stored.TakeLast(5).Select(c => Serialization.JsonValues.FormatTime(c.Start, Instruments.TimeZones.Kolkata)));
    }

    [Fact]
    public async Task A_bad_interval_exits_2_saying_what_is_allowed()
    {
        CliRun run = await RunAsync("candles", "NSE:INFY", "--interval", "7x");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("allowed are 1s-59s, 1m-1440m", run.Error.ToString());
    }

    /// <summary>On the fast simulator, with the candle store in this test's own directory.</summary>
    private Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunWith(new Dictionary<string, string?>(CliRun.FastSimulator) { ["History:Store"] = "sqlite", ["History:Directory"] = _data.FullName }, new StringReader(""), null, args);
}
