using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.Journal;
using MarketFeed.Venues.Kite.Emulator;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>record --feed kite</c> then <c>replay --raw</c> as a user runs them, and the raw replay's bad input.</summary>
public sealed class RawReplayCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-cli-raw-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_kite_recording_replays_its_raw_frames_through_the_kite_decoder()
    {
        string journal = Path.Combine(_directory.FullName, "kite");
        await using (KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 10 }))
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Kite:ApiKey"] = "emulator-key",
                ["Kite:AccessToken"] = "emulator-token",
                ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
                ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
                ["Hub:Candles:HistoryBars"] = "0",
            };
            CliRun record = await CliRun.RunWith(configuration, new StringReader(""), null, "record", "--feed", "kite", "--symbols", "NSE:INFY,NSE:RELIANCE", "--out", journal, "--seconds", "2", "--mode", "full");
            Assert.Equal(0, record.ExitCode);
        }

        CliRun replay = await CliRun.Run("replay", journal, "--raw", "--speed", "max");
        Assert.Equal(0, replay.ExitCode);
        Assert.Matches(@"^replayed [1-9][\d,]* raw frames of \d+ connections and [1-9]\d* REST answers through the kite decoder: [1-9][\d,]* ticks of 2 instruments in [\d.]+ s \(0 malformed\)$", replay.OutputLines[^1]);
    }

    [Fact]
    public async Task A_raw_log_from_an_unknown_venue_and_a_journal_without_one_are_one_line_errors_with_exit_2()
    {
        string unknown = Path.Combine(_directory.FullName, "unknown");
        await using (JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = unknown }, "nosuchvenue", decoderVersion: 1))
        {
            recorder.TryRecord(JournalLogKind.Raw, JournalRecordKind.FrameIn, 0, 0, DateTime.UtcNow, [1, 2, 3]);
        }

        CliRun replay = await CliRun.Run("replay", unknown, "--speed", "max");
        Assert.Equal(2, replay.ExitCode);
        Assert.Equal(
            $"marketfeed: {unknown}: the raw log was recorded from 'nosuchvenue', which this build has no decoder for; venues: binance, coinbase, dhan, finnhub, kite, kraken, upstox",
            replay.Error.ToString().Trim());

        string eventsOnly = Path.Combine(_directory.FullName, "sim");
        Assert.Equal(0, (await CliRun.Run("record", "--symbols", "NSE:INFY", "--out", eventsOnly, "--seconds", "1")).ExitCode);
        CliRun raw = await CliRun.Run("replay", eventsOnly, "--raw");
        Assert.Equal(2, raw.ExitCode);
        Assert.StartsWith($"marketfeed: {eventsOnly}: no raw log (raw/) to replay", raw.Error.ToString().Trim(), StringComparison.Ordinal);
    }
}
