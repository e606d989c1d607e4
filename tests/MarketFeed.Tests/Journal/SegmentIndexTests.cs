using MarketFeed.Journal;

namespace MarketFeed.Tests.Journal;

/// <summary>The time index: a replay from any instant reads from near it, exactly, and falls back to a scan when the index is missing or damaged.</summary>
public sealed class SegmentIndexTests : IDisposable
{
    private static readonly DateTime s_start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-journal-index-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_read_from_a_mid_segment_instant_returns_exactly_the_records_at_or_after_it_and_reads_little_before_it()
    {
        List<(long Seq, DateTime At)> written = Write(records: 6_000, segmentBytes: 8L * 1024 * 1024, seal: true);
        string segment = Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw));
        Assert.Equal(SegmentIndexState.Whole, SegmentIndex.Load(segment, Header(segment)).State);

        foreach (DateTime from in new[] { s_start.AddSeconds(31.234), s_start.AddSeconds(42), s_start.AddMilliseconds(5), s_start.AddSeconds(59.9) })
        {
            AssertSeeks(written, from);
        }
    }

    [Fact]
    public void Across_segments_and_in_the_segment_still_being_written_the_index_finds_the_first_record_at_or_after_the_instant()
    {
        // Small segments, and the last one left open (as after kill -9), its index torn in the middle of an entry.
        List<(long Seq, DateTime At)> written = Write(records: 6_000, segmentBytes: 128 * 1024, seal: false);
        IReadOnlyList<string> segments = JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw);
        Assert.True(segments.Count > 4, $"{segments.Count} segments");
        string openIndex = SegmentIndex.PathFor(segments[^1]);
        File.WriteAllBytes(openIndex, [.. File.ReadAllBytes(openIndex), 1, 2, 3]);

        foreach (DateTime from in new[] { s_start.AddSeconds(12.5), s_start.AddSeconds(58.3), s_start.AddSeconds(61) })
        {
            AssertSeeks(written, from);
        }
    }

    [Fact]
    public void A_missing_or_damaged_index_falls_back_to_a_scan_with_the_same_records_and_a_rebuild_restores_it_byte_for_byte()
    {
        List<(long Seq, DateTime At)> written = Write(records: 3_000, segmentBytes: 8L * 1024 * 1024, seal: true);
        string segment = Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw));
        string index = SegmentIndex.PathFor(segment);
        byte[] original = File.ReadAllBytes(index);
        DateTime from = s_start.AddSeconds(20.05);

        File.Delete(index);
        Assert.Equal(SegmentIndexState.Missing, SegmentIndex.Load(segment, Header(segment)).State);
        var scanning = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        Assert.Equal(Expected(written, from), scanning.Read(from).Select(r => r.Seq));
        Assert.Equal(1, scanning.IndexFallbacks);
        Assert.True(scanning.Skipped > 1_900, $"{scanning.Skipped} records scanned");

        Assert.Equal(3_000, SegmentIndex.Rebuild(segment));
        Assert.Equal(original, File.ReadAllBytes(index));

        // A flipped bit in the fifth entry: the damage is named with its offset and the read scans.
        byte[] damaged = [.. original];
        int at = SegmentIndex.HeaderBytes + (4 * SegmentIndex.EntryBytes) + 9;
        damaged[at] ^= 0x10;
        File.WriteAllBytes(index, damaged);
        SegmentIndex loaded = SegmentIndex.Load(segment, Header(segment));
        Assert.Equal((SegmentIndexState.Damaged, SegmentIndex.HeaderBytes + (4L * SegmentIndex.EntryBytes)), (loaded.State, loaded.ProblemOffset));
        Assert.Equal("an entry whose checksum does not match", loaded.Problem);
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        Assert.Equal(Expected(written, from), reader.Read(from).Select(r => r.Seq));
        Assert.Equal(1, reader.IndexFallbacks);

        // Cut short: a sealed segment's index without its end entry is damaged too.
        File.WriteAllBytes(index, original[..^SegmentIndex.EntryBytes]);
        Assert.Equal("no end entry (the index was cut short)", SegmentIndex.Load(segment, Header(segment)).Problem);
    }

    [Fact]
    public void An_index_entry_that_does_not_point_at_its_record_is_not_trusted()
    {
        List<(long Seq, DateTime At)> written = Write(records: 3_000, segmentBytes: 8L * 1024 * 1024, seal: true);
        string segment = Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw));
        string index = SegmentIndex.PathFor(segment);
        SegmentIndex whole = SegmentIndex.Load(segment, Header(segment));

        // Entries with valid checksums whose offsets are off by one record: the seek refuses them and the segment is read from its start.
        byte[] bytes = File.ReadAllBytes(index);
        for (int i = 0; i < whole.Entries.Count - 1; i++)
        {
            SegmentIndexEntry entry = whole.Entries[i];
            SegmentIndex.WriteEntry(bytes.AsSpan(SegmentIndex.HeaderBytes + (i * SegmentIndex.EntryBytes)), entry with { Seq = entry.Seq + 1 });
        }

        File.WriteAllBytes(index, bytes);
        DateTime from = s_start.AddSeconds(25.5);
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        Assert.Equal(Expected(written, from), reader.Read(from).Select(r => r.Seq));
        Assert.Equal(1, reader.IndexFallbacks);
    }

    [Fact]
    public void Resuming_after_a_crash_rebuilds_the_open_segments_index()
    {
        var options = new JournalOptions { Directory = _directory.FullName };
        JournalLogWriter crashed = JournalLogWriter.Open(options, JournalLogKind.Raw, "kite", 1);
        for (int i = 0; i < 500; i++)
        {
            crashed.Append(JournalRecordKind.FrameIn, 0, 1, s_start.AddMilliseconds(i * 20), new byte[64]);
        }

        crashed.FlushToOs();
        string open = Assert.Single(JournalFiles.Segments(_directory.FullName, JournalLogKind.Raw));
        byte[] image = File.ReadAllBytes(open);
        crashed.Dispose();

        // What the disk held when the process died: the records, and an index torn to three bytes.
        string raw = JournalFiles.LogDirectory(_directory.FullName, JournalLogKind.Raw);
        Directory.Delete(raw, recursive: true);
        Directory.CreateDirectory(raw);
        File.WriteAllBytes(open, image);
        File.WriteAllBytes(SegmentIndex.PathFor(open), [1, 2, 3]);
        Assert.Equal(SegmentIndexState.Damaged, SegmentIndex.Load(open, Header(open)).State);
        using (JournalLogWriter resumed = JournalLogWriter.Open(options, JournalLogKind.Raw, "kite", 1))
        {
            SegmentIndex rebuilt = SegmentIndex.Load(open, Header(open));
            Assert.Equal(SegmentIndexState.Whole, rebuilt.State);

            // One entry per second of recorded time: 10 s of records, the first second needing none.
            Assert.Equal(9, rebuilt.Entries.Count);
        }
    }

    /// <summary>Reading from <paramref name="from"/> returns exactly the records at or after it, found through the index.</summary>
    private void AssertSeeks(List<(long Seq, DateTime At)> written, DateTime from)
    {
        var reader = new JournalLogReader(_directory.FullName, JournalLogKind.Raw);
        Assert.Equal(Expected(written, from), reader.Read(from).Select(r => r.Seq));
        Assert.Equal(0, reader.IndexFallbacks);

        // One entry per second of records: at most about a second (100 records here, plus the jitter) is read and passed over.
        Assert.True(reader.Skipped < 200, $"{reader.Skipped} records read before {from:O}");
    }

    private static IEnumerable<long> Expected(List<(long Seq, DateTime At)> written, DateTime from) =>
        written.Where(r => r.At >= from).Select(r => r.Seq);

    private static SegmentHeader Header(string segment)
    {
        using JournalSegmentReader reader = JournalSegmentReader.Open(segment);
        return reader.Header;
    }

    /// <summary>
    /// 100 records a second, each up to 30 ms off its slot (as events of different hub partitions are), so the
    /// recorded times are not in order.
    /// </summary>
    private List<(long Seq, DateTime At)> Write(int records, long segmentBytes, bool seal)
    {
        var random = new Random(11);
        var written = new List<(long, DateTime)>(records);
        JournalLogWriter log = JournalLogWriter.Open(new JournalOptions { Directory = _directory.FullName, SegmentBytes = segmentBytes }, JournalLogKind.Raw, "kite", 1);
        for (int i = 0; i < records; i++)
        {
            DateTime at = s_start.AddMilliseconds((i * 10) + random.Next(-30, 31));
            written.Add((log.Append(JournalRecordKind.FrameIn, 0, 1, at, new byte[random.Next(20, 200)]), at));
        }

        if (seal)
        {
            log.Dispose();
        }
        else
        {
            log.FlushToOs();
        }

        return written;
    }
}
