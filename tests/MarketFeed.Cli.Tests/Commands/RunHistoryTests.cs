using System.Globalization;
using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>marketfeed run</c> writes closed candles to the History store, shows it in status, and <c>history export</c> reads them back.</summary>
public sealed class RunHistoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-cli-run-history-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Run_stores_closes_in_the_simulators_own_file_and_export_reads_them()
    {
        var configuration = new Dictionary<string, string?>(CliRun.FastSimulator) { ["History:Store"] = "sqlite", ["History:Directory"] = _directory.FullName };
        var output = new ConcurrentStringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var environment = new CliEnvironment(output, error, new StringReader("")) { Overrides = configuration, Cancellation = stop.Token };
        DateTime started = DateTime.UtcNow;
        Task<int> run = CliApp.RunAsync(["run", "--symbols", "NSE:INFY", "--urls", "http://127.0.0.1:0"], environment);

        string line = await RunRecordTests.Eventually(() => output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("MarketFeed gateway on ", StringComparison.Ordinal)), run, error);
        using var http = new HttpClient { BaseAddress = new Uri(line.Split(' ')[3]) };
        await http.GetStringAsync("/api/candles/NSE%3AINFY?interval=1s"); // starts a 1-second series
        JsonElement store = default;
        await RunRecordTests.Eventually(async () =>
        {
            // The series' history is stored first: wait for three live closes of our own, written through.
            JsonElement candles = JsonDocument.Parse(await http.GetStringAsync("/api/candles/NSE%3AINFY?interval=1s&count=50")).RootElement;
            int live = candles.EnumerateArray().Count(c => c.GetProperty("closed").GetBoolean() && c.GetProperty("origin").GetString() == "live");
            store = JsonDocument.Parse(await http.GetStringAsync("/api/status")).RootElement.GetProperty("store");
            return live >= 3 && store.GetProperty("pending").GetInt64() == 0 ? "" : null;
        }, run, error);
        Assert.Equal(("sqlite", "sqlite " + Path.Combine(_directory.FullName, "sim-candles.db"), "ok"), (store.GetProperty("kind").GetString(), store.GetProperty("description").GetString(), store.GetProperty("state").GetString()));
        Assert.Matches(@"marketfeed_store_written_total\{kind=""sqlite""\} [1-9]\d*\n", await http.GetStringAsync("/metrics"));

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));

        CliRun export = await CliRun.RunWith(configuration, new StringReader(""), null,
            "history", "export", "NSE:INFY", "--interval", "1s", "--from", started.AddSeconds(-2).ToString("o", CultureInfo.InvariantCulture));
        Assert.Equal(0, export.ExitCode);
        Assert.Equal("symbol,interval,start,end,open,high,low,close,volume,ticks,flags", export.OutputLines[0]);
        Assert.True(export.OutputLines.Length >= 4, string.Join('\n', export.OutputLines));
        Assert.All(export.OutputLines.Skip(1), l => Assert.StartsWith("NSE:INFY,1s,", l));
    }
}
