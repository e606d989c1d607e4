using System.Text.Json;
using MarketFeed.Journal;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api;

/// <summary>
/// A recording's state in /api/status and /metrics, and a full disk for real (<c>/dev/full</c>: ENOSPC) while the
/// gateway serves: recording stops as failed with its reason, the gateway keeps serving, what was written stays whole.
/// </summary>
public sealed class JournalStatusTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-gateway-journal-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_full_disk_fails_the_recording_in_status_and_metrics_while_the_gateway_keeps_serving()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(ticksPerInstrumentPerSecond: 2_000, symbols: ["NSE:INFY"]);
        JsonElement before = await f.GetJsonAsync("/api/status");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("journal").ValueKind);
        Assert.DoesNotContain("marketfeed_journal", await f.Http.GetStringAsync("/metrics"));

        int created = 0;
        var options = new JournalOptions
        {
            Directory = _directory.FullName,
            SegmentBytes = 64 * 1024,
            DiskFlushInterval = TimeSpan.FromMilliseconds(50),
            CreateSegmentFile = path => Interlocked.Increment(ref created) == 1
                ? File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete)
                : File.OpenHandle("/dev/full", FileMode.Open, FileAccess.ReadWrite),
        };
        JournalRecorder recorder = JournalRecorder.Start(options, "sim", 1);
        JournalEventPump pump = JournalEventPump.Start(f.Gateway.Host.Hub, f.Gateway.Host.Instruments, recorder);
        f.Gateway.Host.ReportJournal(() => recorder.Status);

        JsonElement recording = (await MarketDataApiTests.EventuallyAsync(() => f.GetJsonAsync("/api/status"))).GetProperty("journal");
        Assert.Equal("recording", recording.GetProperty("state").GetString());

        JsonElement failed = await MarketDataApiTests.EventuallyAsync(async () =>
        {
            JsonElement journal = (await f.GetJsonAsync("/api/status")).GetProperty("journal");
            Assert.Equal("failed", journal.GetProperty("state").GetString());
            return journal;
        });
        Assert.Equal("disk_full", failed.GetProperty("failure").GetString());
        Assert.Contains("No space left on device", failed.GetProperty("lastError").GetString());
        long records = failed.GetProperty("records").GetInt64();
        Assert.True(records > 300, $"{records} records before the disk filled");
        Assert.True(failed.GetProperty("bytes").GetInt64() > 60 * 1024);
        Assert.NotEqual(JsonValueKind.Null, failed.GetProperty("durableThrough").ValueKind);

        // The status with a recording in it is what the OpenAPI document describes, strictly.
        var checker = new OpenApi.OpenApiSchemaChecker(await f.GetJsonAsync("/openapi/v1.json"));
        Assert.Empty(checker.Check(await f.GetJsonAsync("/api/status"), checker.ResponseSchema("/api/status", "get", 200)));

        string metrics = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_journal_state{state=\"failed\"} 1\n", metrics);
        Assert.Contains("marketfeed_journal_state{state=\"recording\"} 0\n", metrics);
        Assert.Contains("marketfeed_journal_failed{reason=\"disk_full\"} 1\n", metrics);
        Assert.Contains($"marketfeed_journal_records_total {records}\n", metrics);
        Assert.Matches(@"marketfeed_journal_dropped_total [1-9]\d*\n", metrics);
        Assert.Matches(@"marketfeed_journal_durable_through_seconds \d{10}", metrics);

        // The gateway keeps serving: ticks go on after the recording failed.
        long seq = (await f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest")).GetProperty("seq").GetInt64();
        await MarketDataApiTests.EventuallyAsync(async () =>
        {
            JsonElement latest = await f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest");
            Assert.True(latest.GetProperty("seq").GetInt64() > seq);
            return latest;
        });

        await pump.DisposeAsync();
        await recorder.DisposeAsync();

        // Nothing already written is damaged: every recorded record reads back, no segment damaged.
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Normalized);
        Assert.Equal(records, reader.Read().LongCount());
        Assert.Empty(reader.Damage);
        Assert.All(JournalFiles.Segments(_directory.FullName, JournalLogKind.Normalized), s => Assert.Equal(SegmentEndKind.Clean, SegmentSummary.Of(s).End.Kind));
    }
}
