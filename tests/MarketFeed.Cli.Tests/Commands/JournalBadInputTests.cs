using System.Buffers.Binary;
using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary>
/// A journal that cannot be read as one — not a journal, a newer format, a damaged segment — is one line naming the
/// file (and offset) with exit 2, for every command that reads it; a missing or damaged time index is reported and rebuilt.
/// </summary>
public sealed class JournalBadInputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-cli-journal-bad-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Journal => Path.Combine(_directory.FullName, "session");

    [Fact]
    public async Task A_directory_that_is_no_journal_is_refused_by_every_command_in_one_line()
    {
        string expected = $"marketfeed: {_directory.FullName}: not a MarketFeed journal (no raw/ or events/ folder); record one with `marketfeed record` or `marketfeed run --record`";
        foreach (string[] args in new[] { new[] { "journal", "verify", _directory.FullName }, ["journal", "index", _directory.FullName], ["replay", _directory.FullName, "--speed", "max"] })
        {
            CliRun run = await CliRun.Run(args);
            Assert.Equal((2, expected), (run.ExitCode, run.Error.ToString().Trim().Split('\n')[^1]));
        }

        // A raw/ folder whose file is no segment: named, with the offset.
        string raw = Directory.CreateDirectory(Path.Combine(_directory.FullName, "raw")).FullName;
        string file = Path.Combine(raw, "0000000000000001-20261120.seg");
        await File.WriteAllTextAsync(file, "these are my notes, not a journal segment at all, and long enough to be read as one" + new string('.', 200));
        CliRun info = await CliRun.Run("journal", "verify", _directory.FullName);
        Assert.Equal(2, info.ExitCode);
        Assert.Contains(info.OutputLines, l => l.StartsWith($"  {file}: damaged at offset 0: not a MarketFeed journal segment (no journal header at offset 0); 0 records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_newer_format_version_is_one_line_naming_the_file_and_offset_with_exit_2()
    {
        await Record();
        string segment = Directory.GetFiles(Path.Combine(Journal, "events"), "*.seg").Single();
        byte[] bytes = await File.ReadAllBytesAsync(segment);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 2);
        await File.WriteAllBytesAsync(segment, bytes);
        string expected = $"marketfeed: {segment}: journal format version 2 (at offset 8) is newer than this build reads (1); use a newer marketfeed";

        foreach (string[] args in new[] { new[] { "journal", "verify", Journal }, ["journal", "info", Journal], ["replay", Journal, "--speed", "max"] })
        {
            CliRun run = await CliRun.Run(args);
            Assert.Equal((2, expected), (run.ExitCode, run.Error.ToString().Trim().Split('\n')[^1].Trim()));
        }
    }

    [Fact]
    public async Task Replaying_a_damaged_segment_is_refused_naming_the_file_and_offset_and_verify_says_what_is_whole()
    {
        await Record();
        string segment = Directory.GetFiles(Path.Combine(Journal, "events"), "*.seg").Single();
        byte[] bytes = await File.ReadAllBytesAsync(segment);
        bytes[bytes.Length / 2] ^= 0x08;
        await File.WriteAllBytesAsync(segment, bytes);

        CliRun verify = await CliRun.Run("journal", "verify", Journal);
        Assert.Equal(2, verify.ExitCode);
        string line = Assert.Single(verify.OutputLines, l => l.StartsWith($"  {segment}: damaged at offset ", StringComparison.Ordinal));
        string offset = System.Text.RegularExpressions.Regex.Match(line, @"damaged at offset (\d+):").Groups[1].Value;

        CliRun replay = await CliRun.Run("replay", Journal, "--speed", "max");
        Assert.Equal(2, replay.ExitCode);
        Assert.Equal(
            $"marketfeed: {segment}: damaged at offset {offset} (a record whose checksum does not match (damaged or torn)); `marketfeed journal verify {Journal}` says which records are whole",
            replay.Error.ToString().Trim().Split('\n')[^1].Trim());
    }

    [Fact]
    public async Task A_missing_or_damaged_time_index_is_reported_by_verify_and_rebuilt_by_journal_index()
    {
        await Record();
        string segment = Directory.GetFiles(Path.Combine(Journal, "events"), "*.seg").Single();
        string index = Path.ChangeExtension(segment, ".idx");
        byte[] original = await File.ReadAllBytesAsync(index);

        File.Delete(index);
        CliRun missing = await CliRun.Run("journal", "verify", Journal);
        Assert.Equal((0, "verify: every record is whole; 1 time index(es) to rebuild"), (missing.ExitCode, missing.OutputLines[^1]));
        Assert.Contains($"  {index}: time index missing; a replay with --from scans this segment (rebuild with `marketfeed journal index`)", missing.OutputLines);

        await File.WriteAllBytesAsync(index, original[..^5]);
        CliRun damaged = await CliRun.Run("journal", "verify", Journal);
        Assert.Contains(damaged.OutputLines, l => l.StartsWith($"  {index}: time index damaged at offset {original.Length - 32}: an entry cut off after 27 bytes", StringComparison.Ordinal));

        CliRun rebuild = await CliRun.Run("journal", "index", Journal);
        Assert.Equal((0, "index: 1 time index(es) rebuilt"), (rebuild.ExitCode, rebuild.OutputLines[^1]));
        Assert.Equal(original, await File.ReadAllBytesAsync(index));
        CliRun whole = await CliRun.Run("journal", "verify", Journal);
        Assert.Equal((0, "verify: every record is whole"), (whole.ExitCode, whole.OutputLines[^1]));
    }

    private async Task Record()
    {
        CliRun record = await CliRun.Run("record", "--symbols", "NSE:INFY,BINANCE:BTCUSDT", "--out", Journal, "--seconds", "2", "--mode", "full");
        Assert.Equal(0, record.ExitCode);
    }
}
