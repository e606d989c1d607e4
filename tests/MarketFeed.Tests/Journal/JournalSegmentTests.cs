using System.Text;
using MarketFeed.Journal;

namespace MarketFeed.Tests.Journal;

/// <summary>
/// One segment file: what is written is read back exactly; a torn tail, garbage or a flipped bit is detected and
/// never returned as a record; recovery keeps exactly the whole records before the damage.
/// </summary>
public sealed class JournalSegmentTests : IDisposable
{
    private static readonly DateTime s_start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-journal-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Records_read_back_exactly_with_their_sequence_time_kind_flags_stream_and_bytes()
    {
        string path = Write(50, out List<byte[]> payloads);
        using JournalSegmentReader reader = JournalSegmentReader.Open(path);
        Assert.Equal(new SegmentHeader(JournalLogKind.Raw, 1, s_start, "kite", 3), reader.Header);
        for (int i = 0; i < 50; i++)
        {
            Assert.True(reader.TryRead(out JournalRecord record));
            Assert.Equal((i + 1L, s_start.AddMilliseconds(i), i % 2 == 0 ? JournalRecordKind.FrameIn : JournalRecordKind.FrameOut, (ushort)(i % 2), (uint)(i % 3)),
                (record.Seq, record.RecordedAt, record.Kind, record.Flags, record.Stream));
            Assert.Equal(payloads[i], record.Payload.ToArray());
        }

        Assert.False(reader.TryRead(out _));
        Assert.Equal(SegmentEndKind.Clean, reader.End.Kind);
    }

    [Fact]
    public void A_tail_cut_at_any_byte_of_the_last_records_recovers_exactly_the_whole_records_before_the_cut()
    {
        string path = Write(12, out List<byte[]> payloads);
        byte[] whole = File.ReadAllBytes(path);
        long[] ends = RecordEnds(payloads);
        for (long cut = ends[8]; cut < whole.Length; cut++)
        {
            string copy = Path.Combine(_directory.FullName, $"cut-{cut}.open");
            File.WriteAllBytes(copy, whole[..(int)cut]);
            int wholeRecords = ends.Count(e => e <= cut);
            using (JournalSegmentWriter writer = JournalSegmentWriter.OpenForAppend(copy, out SegmentEnd recovery))
            {
                Assert.Equal(wholeRecords, writer.Records);
                Assert.Equal(ends[wholeRecords - 1], new FileInfo(copy).Length);
                Assert.Equal(cut == ends[wholeRecords - 1] ? SegmentEndKind.Clean : SegmentEndKind.Damaged, recovery.Kind);

                // Appending after recovery continues the sequence without a hole.
                writer.Append(JournalRecordKind.Marker, 0, 0, s_start, "after"u8);
            }

            Assert.Equal(Enumerable.Range(1, wholeRecords + 1).Select(i => (long)i), ReadAll(copy).Select(r => r.Seq));
            File.Delete(copy);
        }
    }

    [Fact]
    public void Zeros_or_garbage_after_the_last_record_are_cut_off_and_never_read_as_records()
    {
        string path = Write(5, out _);
        byte[] written = File.ReadAllBytes(path);
        var random = new Random(5);
        foreach (byte[] tail in new[] { new byte[4096], Enumerable.Range(0, 4096).Select(_ => (byte)random.Next(256)).ToArray() })
        {
            string copy = Path.Combine(_directory.FullName, $"tail-{tail[0]}.open");
            File.WriteAllBytes(copy, [.. written, .. tail]);
            Assert.Equal(5, ReadAll(copy).Count);
            using (JournalSegmentWriter writer = JournalSegmentWriter.OpenForAppend(copy, out _))
            {
                Assert.Equal(6, writer.NextSeq);
            }

            Assert.Equal(written.Length, new FileInfo(copy).Length);
        }
    }

    [Fact]
    public void Every_single_bit_flip_in_the_records_is_detected_and_nothing_damaged_is_returned()
    {
        string path = Write(4, out List<byte[]> payloads);
        byte[] written = File.ReadAllBytes(path);
        for (int bit = JournalFormat.SegmentHeaderBytes * 8; bit < written.Length * 8; bit++)
        {
            byte[] flipped = (byte[])written.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            string copy = Path.Combine(_directory.FullName, "flip.seg");
            File.WriteAllBytes(copy, flipped);
            using JournalSegmentReader reader = JournalSegmentReader.Open(copy);
            int read = 0;
            while (reader.TryRead(out JournalRecord record))
            {
                Assert.Equal(payloads[read], record.Payload.ToArray());
                read++;
            }

            // The record holding the flipped bit and everything after it are withheld; padding bits are covered too.
            long at = bit / 8;
            Assert.Equal(RecordEnds(payloads).Count(e => e <= at), read);
            Assert.NotEqual(SegmentEndKind.None, reader.End.Kind);
        }
    }

    [Fact]
    public void A_file_that_is_no_segment_a_newer_format_or_a_damaged_header_is_refused_by_name()
    {
        string other = Path.Combine(_directory.FullName, "notes.seg");
        File.WriteAllText(other, "this is not a journal at all, but it is long enough to hold a header of 128 bytes........................................................");
        Assert.Equal($"{other}: not a MarketFeed journal segment (no journal header at offset 0)", Assert.Throws<JournalException>(() => JournalSegmentReader.Open(other)).Message);

        string path = Write(1, out _);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = 9;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("format version 9 (at offset 8) is newer than this build reads (1)", Assert.Throws<JournalException>(() => JournalSegmentReader.Open(path)).Message);

        bytes[8] = 1;
        bytes[40] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("segment header is damaged", Assert.Throws<JournalException>(() => JournalSegmentReader.Open(path)).Message);
    }

    [Fact]
    public void Sealing_makes_the_segment_read_only_by_name_and_keeps_every_record()
    {
        string path = Write(3, out _);
        using (JournalSegmentWriter writer = JournalSegmentWriter.OpenForAppend(path, out _))
        {
            writer.Append(JournalRecordKind.Marker, 0, 0, s_start, []);
            writer.Seal();
            Assert.EndsWith(".seg", writer.Path);
            Assert.Equal(4, ReadAll(writer.Path).Count);
        }

        Assert.False(File.Exists(path));
    }

    private string Write(int records, out List<byte[]> payloads)
    {
        string path = Path.Combine(_directory.FullName, $"{Guid.NewGuid():N}.open");
        payloads = [];
        using JournalSegmentWriter writer = JournalSegmentWriter.Create(path, new SegmentHeader(JournalLogKind.Raw, 1, s_start, "kite", 3));
        for (int i = 0; i < records; i++)
        {
            // Lengths 0..12 and beyond, so every padding case occurs.
            byte[] payload = Encoding.UTF8.GetBytes(new string((char)('a' + (i % 26)), (i * 7) % 23));
            payloads.Add(payload);
            Assert.Equal(i + 1, writer.Append(i % 2 == 0 ? JournalRecordKind.FrameIn : JournalRecordKind.FrameOut, (ushort)(i % 2), (uint)(i % 3), s_start.AddMilliseconds(i), payload));
        }

        writer.FlushToDisk();
        return path;
    }

    private static long[] RecordEnds(List<byte[]> payloads)
    {
        long end = JournalFormat.SegmentHeaderBytes;
        return [.. payloads.Select(p => end += JournalFormat.RecordSize(p.Length))];
    }

    private static List<JournalRecord> ReadAll(string path)
    {
        using JournalSegmentReader reader = JournalSegmentReader.Open(path);
        var records = new List<JournalRecord>();
        while (reader.TryRead(out JournalRecord record))
        {
            records.Add(record with { Payload = record.Payload.ToArray() });
        }

        return records;
    }
}
