using System.Text;
using MarketFeed.Journal;

namespace MarketFeed.Tests.Journal;

/// <summary>A log across segments: rotation by size and trading day, resuming after a crash, reading from an instant, retention.</summary>
public sealed class JournalLogTests : IDisposable
{
    private static readonly DateTime s_start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-journal-log-");

    public void Dispose() => _directory.Delete(recursive: true);

    private JournalOptions Options => new() { Directory = _directory.FullName, SegmentBytes = 64 * 1024 };

    [Fact]
    public void Segments_rotate_by_size_and_the_log_reads_back_in_order_without_a_hole()
    {
        using (JournalLogWriter log = JournalLogWriter.Open(Options, JournalLogKind.Raw, "binance", 1))
        {
            for (int i = 0; i < 2_000; i++)
            {
                log.Append(JournalRecordKind.FrameIn, JournalFormat.TextFrame, 1, s_start.AddMilliseconds(i), Encoding.UTF8.GetBytes($"frame {i} ".PadRight(100, '.')));
            }
        }

        IReadOnlyList<string> segments = JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw);
        Assert.True(segments.Count >= 3, $"{segments.Count} segments");
        Assert.All(segments, s => Assert.EndsWith(".seg", s));
        Assert.All(segments, s => Assert.True(new FileInfo(s).Length <= 64 * 1024));
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        List<string> frames = [.. reader.Read().Select(r => Encoding.UTF8.GetString(r.Payload.Span).TrimEnd('.'))];
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => $"frame {i} "), frames);
        Assert.Equal(0, reader.Gaps);
    }

    [Fact]
    public void A_new_trading_day_starts_a_new_segment_named_by_that_day()
    {
        JournalOptions options = Options;
        options.TradingDayZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        DateTime beforeMidnightIst = new(2026, 11, 20, 18, 29, 59, DateTimeKind.Utc);
        using (JournalLogWriter log = JournalLogWriter.Open(options, JournalLogKind.Normalized, "sim", 1))
        {
            log.Append(JournalRecordKind.Tick, 0, 0, beforeMidnightIst, [1]);
            log.Append(JournalRecordKind.Tick, 0, 0, beforeMidnightIst.AddSeconds(2), [2]);
        }

        Assert.Equal(["0000000000000001-20261120.seg", "0000000000000002-20261121.seg"],
            JournalFiles.Segments(_directory.FullName, JournalLogKind.Normalized).Select(Path.GetFileName));
    }

    [Fact]
    public void After_a_crash_the_log_resumes_from_the_last_whole_record_and_numbers_on()
    {
        JournalLogWriter crashed = JournalLogWriter.Open(Options, JournalLogKind.Raw, "kite", 1);
        for (int i = 0; i < 10; i++)
        {
            crashed.Append(JournalRecordKind.FrameIn, 0, 1, s_start.AddSeconds(i), new byte[50]);
        }

        crashed.FlushToOs();
        string open = Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw));
        string image = Path.Combine(_directory.FullName, "image");
        File.Copy(open, image);
        crashed.Dispose();

        // What the disk held when the process died: the records, and half of the next one.
        Directory.Delete(Path.Combine(_directory.FullName, "raw"), recursive: true);
        Directory.CreateDirectory(Path.Combine(_directory.FullName, "raw"));
        byte[] torn = [.. File.ReadAllBytes(image), .. new byte[] { 0x48, 0, 0, 0, 1, 2, 3 }];
        File.WriteAllBytes(open, torn);

        using (JournalLogWriter resumed = JournalLogWriter.Open(Options, JournalLogKind.Raw, "kite", 1))
        {
            Assert.Equal(SegmentEndKind.Damaged, resumed.Recovered.Kind);
            Assert.Equal(11, resumed.NextSeq);
            resumed.Append(JournalRecordKind.FrameIn, 0, 1, s_start.AddSeconds(10), new byte[50]);
        }

        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), new JournalLogReader(_directory.FullName, JournalLogKind.Raw).Read().Select(r => r.Seq));
    }

    [Fact]
    public void Reading_from_an_instant_starts_at_the_first_record_at_or_after_it()
    {
        using (JournalLogWriter log = JournalLogWriter.Open(Options, JournalLogKind.Normalized, "sim", 1))
        {
            for (int i = 0; i < 3_000; i++)
            {
                log.Append(JournalRecordKind.Tick, 0, 0, s_start.AddMilliseconds(10 * i), new byte[60]);
            }
        }

        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Normalized);
        DateTime from = s_start.AddMilliseconds(12_345);
        List<JournalRecord> slice = [.. reader.Read(from, from.AddSeconds(1)).Select(r => r with { Payload = Array.Empty<byte>() })];
        Assert.Equal(s_start.AddMilliseconds(12_350), slice[0].RecordedAt);
        Assert.Equal(100, slice.Count);
    }

    [Fact]
    public void Retention_deletes_whole_sealed_segments_oldest_first_and_never_the_open_one()
    {
        JournalOptions options = Options;
        options.RetainBytes = 150 * 1024;
        using JournalLogWriter log = JournalLogWriter.Open(options, JournalLogKind.Raw, "kite", 1);
        for (int i = 0; i < 4_000; i++)
        {
            log.Append(JournalRecordKind.FrameIn, 0, 1, s_start.AddMilliseconds(i), new byte[100]);
        }

        int before = JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw).Count;
        int deleted = log.ApplyRetention(s_start);
        IReadOnlyList<string> left = JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw);
        Assert.Equal(before - deleted, left.Count);
        Assert.True(deleted > 0);
        Assert.EndsWith(".open", left[^1]);
        Assert.True(left.Sum(s => new FileInfo(s).Length) <= 150 * 1024 + 64 * 1024);

        // What is left still reads in order; the deleted start is simply not there.
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        log.FlushToOs();
        long[] seqs = [.. reader.Read().Select(r => r.Seq)];
        Assert.Equal(seqs, Enumerable.Range((int)seqs[0], seqs.Length).Select(i => (long)i));
    }

    [Fact]
    public void A_folder_that_is_no_journal_is_named_in_a_one_line_error()
    {
        JournalException e = Assert.Throws<JournalException>(() => new JournalLogReader(_directory.FullName, JournalLogKind.Raw));
        Assert.StartsWith($"{_directory.FullName}: not a MarketFeed journal", e.Message);
    }
}
