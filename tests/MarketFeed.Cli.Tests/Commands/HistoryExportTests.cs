using MarketFeed.Candles;
using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.History;
using MarketFeed.Model;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>marketfeed history export</c> writes the configured store's bars exactly; bad arguments are one line and exit 2.</summary>
public sealed class HistoryExportTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-cli-history-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    private Dictionary<string, string?> Store => new() { ["History:Directory"] = _directory.FullName, ["History:Sqlite"] = "candles.db" };

    [Fact]
    public async Task Csv_has_every_bar_in_the_range_oldest_first_with_exact_prices_and_flags()
    {
        await WriteBarsAsync();

        CliRun run = await CliRun.RunWith(Store, new StringReader(""), null, "history", "export", "NSE:INFY", "--interval", "3m", "--from", "2026-11-20T03:48:00Z", "--to", "2026-11-20T09:24+05:30");

        Assert.True(run.ExitCode == 0, run.Error.ToString());
        Assert.Equal(
        [
            "symbol,interval,start,end,open,high,low,close,volume,ticks,flags",
            "NSE:INFY,3m,2026-11-20T03:48:00Z,2026-11-20T03:51:00Z,1500.05,1501.1,1499.95,1500.00000001,1201,12,closed|revised",
            "NSE:INFY,3m,2026-11-20T03:51:00Z,2026-11-20T03:54:00Z,1500.1,1500.1,1500.1,1500.1,0,0,closed|flat|backfilled",
        ], run.OutputLines);
        Assert.Equal("", run.Error.ToString());
    }

    [Fact]
    public async Task Jsonl_goes_to_the_file_asked_for()
    {
        await WriteBarsAsync();
        string file = Path.Combine(_directory.FullName, "out.jsonl");

        CliRun run = await CliRun.RunWith(Store, new StringReader(""), null, "history", "export", "NSE:INFY", "--interval", "3m", "--from", "2026-11-20", "--format", "jsonl", "--out", file);

        Assert.Equal(0, run.ExitCode);
        string[] lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"symbol":"NSE:INFY","interval":"3m","start":"2026-11-20T03:45:00Z","end":"2026-11-20T03:48:00Z","open":1500,"high":1500,"low":1500,"close":1500,"volume":10,"ticks":1,"flags":["closed","history"]}""", lines[0]);
        Assert.Contains("\"flags\":[\"closed\",\"revised\"]", lines[1]);
        Assert.Equal($"3 bars written to {file}", run.Error.ToString().Trim());
    }

    [Theory]
    [InlineData("interval '7x' is not valid", "--interval", "7x", "--from", "2026-11-20")]
    [InlineData("--from 'yesterday' is not an instant", "--interval", "3m", "--from", "yesterday")]
    [InlineData("is not before --to", "--interval", "3m", "--from", "2026-11-21", "--to", "2026-11-20")]
    [InlineData("--from", "--interval", "3m")]
    [InlineData("xml", "--interval", "3m", "--from", "2026-11-20", "--format", "xml")]
    [InlineData("unknown feed 'nosuchfeed': available feeds are", "--interval", "3m", "--from", "2026-11-20", "--feed", "nosuchfeed")]
    [InlineData("--out /nonexistent-mf-dir/x.csv: the directory /nonexistent-mf-dir does not exist", "--interval", "3m", "--from", "2026-11-20", "--out", "/nonexistent-mf-dir/x.csv")]
    public async Task Bad_arguments_are_one_line_and_exit_2(string expected, params string[] args)
    {
        CliRun run = await CliRun.RunWith(Store, new StringReader(""), null, ["history", "export", "NSE:INFY", .. args]);

        Assert.Equal(2, run.ExitCode);
        string error = run.Error.ToString();
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, error);
        Assert.Equal("", run.Output.ToString());
    }

    [Fact]
    public async Task A_symbol_in_lower_case_is_read_as_stored_and_one_without_its_exchange_is_refused()
    {
        await WriteBarsAsync();

        CliRun lower = await CliRun.RunWith(Store, new StringReader(""), null, "history", "export", "nse:infy", "--interval", "3m", "--from", "2026-11-20T03:48:00Z", "--to", "2026-11-20T09:24+05:30");
        Assert.True(lower.ExitCode == 0, lower.Error.ToString());
        Assert.Equal(3, lower.OutputLines.Length);
        Assert.All(lower.OutputLines.Skip(1), line => Assert.StartsWith("NSE:INFY,3m,", line, StringComparison.Ordinal));

        CliRun bare = await CliRun.RunWith(Store, new StringReader(""), null, "history", "export", "infy", "--interval", "3m", "--from", "2026-11-20");
        Assert.Equal(2, bare.ExitCode);
        Assert.Equal("marketfeed: 'INFY': give the symbol with its exchange, as stored (e.g. NSE:INFY)", bare.Error.ToString().Trim());
    }

    private async Task WriteBarsAsync()
    {
        await using var store = new SqliteCandleStore(Path.Combine(_directory.FullName, "candles.db"));
        CandleInterval three = CandleInterval.Parse("3m");
        Candle Bar(int i, string o, string h, string l, string c, long v, int ticks, CandleFlags flags) =>
            new(Start.AddMinutes(3 * i), Start.AddMinutes(3 * (i + 1)), Price.Parse(o), Price.Parse(h), Price.Parse(l), Price.Parse(c), Quantity.FromUnits(v), ticks, flags);
        await store.WriteAsync(
        [
            new("NSE:INFY", three, Bar(0, "1500", "1500", "1500", "1500", 10, 1, CandleFlags.Closed | CandleFlags.History)),
            new("NSE:INFY", three, Bar(1, "1500.05", "1501.1", "1499.95", "1500.00000001", 1201, 12, CandleFlags.Closed | CandleFlags.Revised)),
            new("NSE:INFY", three, Bar(2, "1500.1", "1500.1", "1500.1", "1500.1", 0, 0, CandleFlags.Closed | CandleFlags.Flat | CandleFlags.Backfilled)),
            new("NSE:INFY", CandleInterval.OneMinute, Bar(1, "1", "1", "1", "1", 1, 1, CandleFlags.Closed)),
            new("NSE:TCS", three, Bar(1, "1", "1", "1", "1", 1, 1, CandleFlags.Closed)),
        ], CancellationToken.None);
    }
}
