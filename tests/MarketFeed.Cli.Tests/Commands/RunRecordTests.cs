using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>marketfeed run --record DIR</c> on the simulator: the gateway serves, records both logs, and shows the recording in status and metrics.</summary>
public sealed class RunRecordTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-cli-run-record-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Run_with_record_serves_records_and_reports_the_recording_in_status_and_metrics()
    {
        string journal = Path.Combine(_directory.FullName, "session");
        var output = new ConcurrentStringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var environment = new CliEnvironment(output, error, new StringReader(""))
        {
            Overrides = new Dictionary<string, string?>(CliRun.FastSimulator) { ["Journal:DiskFlushInterval"] = "00:00:00.100" },
            Cancellation = stop.Token,
        };
        Task<int> run = CliApp.RunAsync(["run", "--symbols", "NSE:INFY,BINANCE:BTCUSDT", "--urls", "http://127.0.0.1:0", "--record", journal], environment);

        string started = await Eventually(() => output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("MarketFeed gateway on ", StringComparison.Ordinal)), run, error);
        Assert.Contains($"(feed sim, 2 symbols, recording into {journal})", started);
        using var http = new HttpClient { BaseAddress = new Uri(started.Split(' ')[3]) };

        JsonElement recording = default;
        await Eventually(async () =>
        {
            recording = JsonDocument.Parse(await http.GetStringAsync("/api/status")).RootElement.GetProperty("journal");
            return recording.GetProperty("records").GetInt64() > 100 && recording.GetProperty("durableThrough").ValueKind == JsonValueKind.String ? "" : null;
        }, run, error);
        Assert.Equal("recording", recording.GetProperty("state").GetString());
        Assert.True(recording.GetProperty("bytes").GetInt64() > 0);
        Assert.Equal((0, JsonValueKind.Null, JsonValueKind.Null), (recording.GetProperty("dropped").GetInt64(), recording.GetProperty("lastError").ValueKind, recording.GetProperty("failure").ValueKind));
        Assert.True(DateTime.UtcNow - recording.GetProperty("durableThrough").GetDateTime().ToUniversalTime() < TimeSpan.FromSeconds(30));

        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_journal_state{state=\"recording\"} 1\n", metrics);
        Assert.Contains("marketfeed_journal_state{state=\"failed\"} 0\n", metrics);
        Assert.Matches(@"marketfeed_journal_records_total [1-9]\d*\n", metrics);
        Assert.Matches(@"marketfeed_journal_bytes_total [1-9]\d*\n", metrics);
        Assert.Contains("marketfeed_journal_dropped_total 0\n", metrics);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Matches(@"^recorded [\d,]+ records \([\d.]+ MiB\), dropped 0$", output.ToString().Trim().Split('\n')[^1]);

        // What it leaves is a whole journal of the session's events (the simulator has no socket: no raw frames).
        CliRun verify = await CliRun.Run("journal", "verify", journal);
        Assert.Equal((0, "verify: every record is whole"), (verify.ExitCode, verify.OutputLines[^1]));
        Assert.Matches(@"^events: [\d,]+ records in 1 segments .* from sim, ", verify.OutputLines[0]);
        Assert.Equal("instruments: BINANCE:BTCUSDT, NSE:INFY", verify.OutputLines[1]);
        CliRun replay = await CliRun.Run("replay", journal, "--speed", "max");
        Assert.Equal(0, replay.ExitCode);
        Assert.Matches(@"^replayed [\d,]+ ticks of 2 instruments, ", replay.OutputLines[^1]);
    }

    internal static Task<string> Eventually(Func<string?> probe, Task<int> run, StringWriter error) => Eventually(() => Task.FromResult(probe()), run, error);

    internal static async Task<string> Eventually(Func<Task<string?>> probe, Task<int> run, StringWriter error)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Assert.False(run.IsCompleted, $"run stopped: {error}");
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
