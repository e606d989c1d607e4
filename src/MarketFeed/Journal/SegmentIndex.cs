using System.Buffers.Binary;

namespace MarketFeed.Journal;

/// <summary>
/// A segment's sparse time index, kept beside it in <c>{segment name}.idx</c> (the same name while open and once
/// sealed). Little-endian: a <see cref="HeaderBytes"/>-byte header (magic, index version, the segment's first sequence
/// number and creation time, CRC-32C) and then <see cref="EntryBytes"/>-byte entries (latest time before, offset,
/// sequence number, flags, CRC-32C), one every <see cref="RecordsPerEntry"/> records or <see cref="TimePerEntry"/> of
/// recorded time, and an end entry when the segment is sealed. It is derived data: a missing or damaged index only
/// makes a seek scan the segment (and <c>marketfeed journal index</c> rebuilds it).
/// </summary>
public sealed class SegmentIndex
{
    public const string Extension = ".idx";
    public const ushort Version = 1;
    public const int HeaderBytes = 40;
    public const int EntryBytes = 32;
    public const int RecordsPerEntry = 1024;
    public static readonly TimeSpan TimePerEntry = TimeSpan.FromSeconds(1);

    private const uint EndFlag = 1;

    private SegmentIndex(string path, SegmentIndexState state, IReadOnlyList<SegmentIndexEntry> entries, long problemOffset, string? problem)
    {
        Path = path;
        State = state;
        Entries = entries;
        ProblemOffset = problemOffset;
        Problem = problem;
    }

    /// <summary>The index file.</summary>
    public string Path { get; }

    public SegmentIndexState State { get; }

    /// <summary>The valid entries, in file order (for a damaged index: those before the damage).</summary>
    public IReadOnlyList<SegmentIndexEntry> Entries { get; }

    /// <summary>For <see cref="SegmentIndexState.Damaged"/>: the offset in the index file where it is wrong.</summary>
    public long ProblemOffset { get; }

    /// <summary>For <see cref="SegmentIndexState.Damaged"/>: what is wrong, for people.</summary>
    public string? Problem { get; }

    /// <summary>The end entry of a sealed segment's index, if present.</summary>
    public SegmentIndexEntry? End => Entries.Count > 0 && Entries[^1].End ? Entries[^1] : null;

    /// <summary>
    /// Where to start reading for the records at or after <paramref name="from"/>: the last entry whose
    /// <see cref="SegmentIndexEntry.MaxBefore"/> is before it (null: from the first record).
    /// </summary>
    public SegmentIndexEntry? StartFor(DateTime from)
    {
        int low = 0;
        int high = Entries.Count - (End is null ? 1 : 2);
        SegmentIndexEntry? found = null;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (Entries[middle].MaxBefore < from)
            {
                found = Entries[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    /// <summary>The index file of <paramref name="segment"/> (open or sealed).</summary>
    public static string PathFor(string segment)
    {
        string stem = segment.EndsWith(JournalFormat.OpenExtension, StringComparison.Ordinal) ? segment[..^JournalFormat.OpenExtension.Length]
            : segment.EndsWith(JournalFormat.SealedExtension, StringComparison.Ordinal) ? segment[..^JournalFormat.SealedExtension.Length]
            : segment;
        return stem + Extension;
    }

    /// <summary>
    /// Reads and checks the index of a segment. A torn last entry of an open segment's index is what a crash leaves and
    /// is ignored; in a sealed segment's index any bad entry, or a missing end entry, makes it <see cref="SegmentIndexState.Damaged"/>.
    /// </summary>
    public static SegmentIndex Load(string segment, SegmentHeader header)
    {
        string path = PathFor(segment);
        if (!File.Exists(path))
        {
            return new SegmentIndex(path, SegmentIndexState.Missing, [], 0, null);
        }

        bool isSealed = segment.EndsWith(JournalFormat.SealedExtension, StringComparison.Ordinal);
        long segmentLength = new FileInfo(segment).Length;
        var entries = new List<SegmentIndexEntry>();
        SegmentIndex Damaged(long offset, string problem) => new(path, SegmentIndexState.Damaged, entries, offset, problem);

        // At most an entry per record and the end entry: anything longer (or endless) is not this segment's index.
        long limit = HeaderBytes + (EntryBytes * (((segmentLength - JournalFormat.SegmentHeaderBytes) / JournalFormat.RecordHeaderBytes) + 1));
        byte[]? bytes = ReadAtMost(path, limit);
        if (bytes is null)
        {
            return Damaged(limit, $"longer than any index of this segment ({limit} bytes)");
        }

        if (bytes.Length < HeaderBytes || !bytes.AsSpan().StartsWith(Magic))
        {
            return Damaged(0, "not a journal index (no index header)");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        if (version > Version)
        {
            return Damaged(0, $"index version {version} is newer than this build reads ({Version})");
        }

        if (Crc32C.Compute(bytes.AsSpan(0, HeaderBytes - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(HeaderBytes - 4)))
        {
            return Damaged(0, "the index header checksum does not match");
        }

        if (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)) != header.FirstSeq || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24)) != header.CreatedAt.Ticks)
        {
            return Damaged(0, "the index belongs to another segment (first sequence number or creation time differ)");
        }

        for (int at = HeaderBytes; at < bytes.Length; at += EntryBytes)
        {
            ReadOnlySpan<byte> entry = bytes.AsSpan(at, Math.Min(EntryBytes, bytes.Length - at));
            string? problem = entry.Length < EntryBytes ? $"an entry cut off after {entry.Length} bytes"
                : Crc32C.Compute(entry[..28]) != BinaryPrimitives.ReadUInt32LittleEndian(entry[28..]) ? "an entry whose checksum does not match"
                : null;
            SegmentIndexEntry read = problem is null ? Decode(entry) : default;
            SegmentIndexEntry? previous = entries.Count > 0 ? entries[^1] : null;
            problem ??= previous is { End: true } ? "an entry after the end entry"
                : read.Offset < JournalFormat.SegmentHeaderBytes || read.Offset > segmentLength ? $"an entry pointing at offset {read.Offset}, outside the segment's {segmentLength} bytes"
                : previous is { } p && (read.Offset <= p.Offset || read.Seq <= p.Seq || read.MaxBefore < p.MaxBefore) ? "an entry out of order with the one before"
                : read.End && isSealed && read.Offset != segmentLength ? $"an end entry at offset {read.Offset} where the segment ends at {segmentLength}"
                : null;
            if (problem is not null)
            {
                // The index of the segment being written may end in a torn entry: the records are what counts.
                return isSealed ? Damaged(at, problem) : new SegmentIndex(path, SegmentIndexState.Whole, entries, 0, null);
            }

            entries.Add(read);
        }

        return isSealed && (entries.Count == 0 || !entries[^1].End)
            ? Damaged(bytes.Length, "no end entry (the index was cut short)")
            : new SegmentIndex(path, SegmentIndexState.Whole, entries, 0, null);
    }

    /// <summary>Writes a new index for <paramref name="segment"/> from a scan of its records (sealed segments get their end entry).</summary>
    /// <returns>The records indexed.</returns>
    public static long Rebuild(string segment)
    {
        using JournalSegmentReader reader = JournalSegmentReader.Open(segment);
        string path = PathFor(segment);
        string temporary = path + ".tmp";
        long records = 0;
        using (SegmentIndexWriter index = SegmentIndexWriter.Create(temporary, reader.Header))
        {
            long offset = reader.Position;
            while (reader.TryRead(out JournalRecord record))
            {
                index.OnRecord(offset, record.Seq, record.RecordedAt);
                offset = reader.Position;
                records++;
            }

            if (segment.EndsWith(JournalFormat.SealedExtension, StringComparison.Ordinal))
            {
                index.WriteEnd(reader.End.Offset, reader.NextSeq);
            }

            index.FlushToDisk();
        }

        File.Move(temporary, path, overwrite: true);
        return records;
    }

    internal static ReadOnlySpan<byte> Magic => "MFJINDEX"u8;

    /// <summary>The whole file, or null when it holds more than <paramref name="limit"/> bytes.</summary>
    private static byte[]? ReadAtMost(string path, long limit)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        using var bytes = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            bytes.Write(buffer, 0, read);
            if (bytes.Length > limit)
            {
                return null;
            }
        }

        return bytes.ToArray();
    }

    internal static void WriteHeader(Span<byte> destination, SegmentHeader header)
    {
        destination[..HeaderBytes].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], header.FirstSeq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], header.CreatedAt.Ticks);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(HeaderBytes - 4)..], Crc32C.Compute(destination[..(HeaderBytes - 4)]));
    }

    internal static void WriteEntry(Span<byte> destination, SegmentIndexEntry entry)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, entry.MaxBefore.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], entry.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], entry.Seq);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], entry.End ? EndFlag : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    private static SegmentIndexEntry Decode(ReadOnlySpan<byte> entry) => new(
        new DateTime(Math.Clamp(BinaryPrimitives.ReadInt64LittleEndian(entry), DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
        BinaryPrimitives.ReadInt64LittleEndian(entry[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(entry[16..]),
        (BinaryPrimitives.ReadUInt32LittleEndian(entry[24..]) & EndFlag) != 0);
}
