using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>record</c>, <c>journal info|verify</c> and <c>replay</c> as a user runs them, on the simulator.</summary>
public sealed class JournalCommandsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-cli-journal-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Journal => Path.Combine(_directory.FullName, "session");

    [Fact]
    public async Task A_recording_is_described_verified_and_replayed_and_damage_is_named_with_file_and_offset()
    {
        CliRun record = await CliRun.Run("record", "--symbols", "NSE:INFY,BINANCE:BTCUSDT", "--out", Journal, "--seconds", "2", "--mode", "full");
        Assert.Equal(0, record.ExitCode);
        Assert.Matches(@"^recorded [\d,]+ records \([\d.]+ MiB\), dropped 0$", record.OutputLines[^1]);

        CliRun info = await CliRun.Run("journal", "info", Journal);
        Assert.Equal(0, info.ExitCode);
        Assert.Matches(@"^events: [\d,]+ records in 1 segments .* from sim, ", info.OutputLines[0]);
        Assert.Equal("instruments: BINANCE:BTCUSDT, NSE:INFY", info.OutputLines[1]);

        CliRun verify = await CliRun.Run("journal", "verify", Journal);
        Assert.Equal((0, "verify: every record is whole"), (verify.ExitCode, verify.OutputLines[^1]));

        CliRun replay = await CliRun.Run("replay", Journal, "--speed", "max");
        Assert.Equal(0, replay.ExitCode);
        Assert.Matches(@"^replayed [\d,]+ ticks of 2 instruments, ", replay.OutputLines[^1]);

        // A flipped byte in the middle of the sealed segment: named with its file and offset, exit 2.
        string segment = Directory.GetFiles(Path.Combine(Journal, "events"), "*.seg").Single();
        byte[] bytes = await File.ReadAllBytesAsync(segment);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(segment, bytes);
        CliRun damaged = await CliRun.Run("journal", "verify", Journal);
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains(damaged.OutputLines, l => l.StartsWith($"  {segment}: damaged at offset ", StringComparison.Ordinal) && l.Contains("records before it are whole", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_directory_that_is_no_journal_and_a_bad_speed_are_one_line_errors_with_exit_2()
    {
        CliRun info = await CliRun.Run("journal", "info", _directory.FullName);
        Assert.Equal((2, $"marketfeed: {_directory.FullName}: not a MarketFeed journal (no raw/ or events/ folder); record one with `marketfeed record` or `marketfeed run --record`"), (info.ExitCode, info.Error.ToString().Trim()));

        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "notes.txt"), "mine");
        CliRun record = await CliRun.Run("record", "--symbols", "NSE:INFY", "--out", _directory.FullName, "--seconds", "1");
        Assert.Equal((2, $"marketfeed: {_directory.FullName} exists and is not a journal: record into an empty or new directory"), (record.ExitCode, record.Error.ToString().Trim()));

        CliRun replay = await CliRun.Run("replay", _directory.FullName, "--speed", "fast");
        Assert.Equal((2, "marketfeed: --speed 'fast' is not valid: use 1, 10, … or max"), (replay.ExitCode, replay.Error.ToString().Trim()));
    }
}
