namespace MarketFeed.Journal;

/// <summary>What one segment holds and whether it is whole (<c>marketfeed journal info|verify</c>).</summary>
/// <param name="Path">The segment file.</param>
/// <param name="Header">Its header, or null when the header itself is unreadable (then see <paramref name="End"/>).</param>
/// <param name="Records">Valid records.</param>
/// <param name="FirstSeq">The first valid record's sequence number (0 when none).</param>
/// <param name="LastSeq">The last valid record's sequence number (0 when none).</param>
/// <param name="First">The first valid record's time.</param>
/// <param name="Last">The last valid record's time.</param>
/// <param name="End">Where the valid records end and why; damage in a sealed segment, or a torn tail in an open one.</param>
/// <param name="DamagedBytes">Bytes after the valid records that hold no valid record.</param>
/// <param name="Sealed">True for a sealed (<c>.seg</c>) segment.</param>
public sealed record SegmentSummary(
    string Path, SegmentHeader? Header, long Records, long FirstSeq, long LastSeq, DateTime? First, DateTime? Last, SegmentEnd End, long DamagedBytes, bool Sealed)
{
    /// <summary>Reads the whole segment, checking every record.</summary>
    /// <exception cref="JournalException">The segment is from a newer format version (not damage).</exception>
    public static SegmentSummary Of(string path)
    {
        bool isSealed = path.EndsWith(JournalFormat.SealedExtension, StringComparison.Ordinal);
        long length = new FileInfo(path).Length;
        JournalSegmentReader reader;
        try
        {
            reader = JournalSegmentReader.Open(path);
        }
        catch (JournalException e) when (!e.NewerFormat)
        {
            string reason = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
            return new SegmentSummary(path, null, 0, 0, 0, null, null, new SegmentEnd(SegmentEndKind.Damaged, 0, reason), length, isSealed);
        }

        using (reader)
        {
            long records = 0;
            long firstSeq = 0;
            long lastSeq = 0;
            DateTime? first = null;
            DateTime? last = null;
            while (reader.TryRead(out JournalRecord record))
            {
                records++;
                firstSeq = firstSeq == 0 ? record.Seq : firstSeq;
                lastSeq = record.Seq;
                first ??= record.RecordedAt;
                last = record.RecordedAt;
            }

            long damaged = reader.End.Kind == SegmentEndKind.Damaged ? length - reader.End.Offset : 0;
            return new SegmentSummary(path, reader.Header, records, firstSeq, lastSeq, first, last, reader.End, damaged, isSealed);
        }
    }
}
