namespace MarketFeed.Journal;

/// <summary>
/// Reads one log of a recording in sequence order across its segments. A damaged record ends its segment (it is never
/// returned); reading goes on with the next segment, whose first sequence number shows how many records were lost
/// (<see cref="Gaps"/>). A record's payload is valid until the next one is read.
/// </summary>
public sealed class JournalLogReader
{
    private static readonly TimeSpan OrderingSlack = TimeSpan.FromMinutes(1);

    private readonly string _journal;
    private readonly JournalLogKind _log;
    private readonly List<(string, SegmentEnd)> _damage = [];

    public JournalLogReader(string journal, JournalLogKind log)
    {
        if (!JournalFiles.IsJournal(journal))
        {
            throw new JournalException(JournalFiles.NotAJournal(journal));
        }

        _journal = journal;
        _log = log;
    }

    /// <summary>Records skipped because of damage, counted from the sequence numbers around it.</summary>
    public long Gaps { get; private set; }

    /// <summary>
    /// Damage found so far: where each damaged segment's valid records end and why. The torn tail of the segment still
    /// being written (what a crash leaves, cut off when recording resumes) is not damage.
    /// </summary>
    public IReadOnlyList<(string Segment, SegmentEnd End)> Damage => _damage;

    /// <summary>Records read and passed over because they were before <c>from</c> (the time index keeps this small).</summary>
    public long Skipped { get; private set; }

    /// <summary>Segments a <c>from</c> seek had to scan from their first record because their time index is missing or damaged.</summary>
    public int IndexFallbacks { get; private set; }

    /// <summary>
    /// The records recorded at or after <paramref name="from"/> and before <paramref name="to"/>, oldest first. With
    /// <paramref name="from"/>, each segment's time index says whether any of its records is that late and where to
    /// start reading; a segment without a usable index is scanned from its first record.
    /// </summary>
    public IEnumerable<JournalRecord> Read(DateTime? from = null, DateTime? to = null)
    {
        IReadOnlyList<string> segments = JournalFiles.Segments(_journal, _log);
        (int first, SegmentIndexEntry? start) = from is { } at ? Locate(segments, at) : (0, null);
        long expected = 0;
        for (int i = first; i < segments.Count; i++)
        {
            using JournalSegmentReader reader = JournalSegmentReader.Open(segments[i]);
            if (expected != 0 && reader.Header.FirstSeq > expected)
            {
                Gaps += reader.Header.FirstSeq - expected;
            }

            if (i == first && start is { } entry && !reader.TrySeek(entry.Offset, entry.Seq))
            {
                // The entry does not point at its record: the index is wrong, the records are what counts.
                IndexFallbacks++;
            }

            while (reader.TryRead(out JournalRecord record))
            {
                expected = record.Seq + 1;
                if (from is { } f && record.RecordedAt < f)
                {
                    Skipped++;
                    continue;
                }

                if (to is { } t && record.RecordedAt >= t)
                {
                    // Events of different partitions are recorded a little out of time order: stop once well past the end.
                    if (record.RecordedAt >= t + OrderingSlack)
                    {
                        yield break;
                    }

                    continue;
                }

                yield return record;
            }

            expected = Math.Max(expected, reader.NextSeq);
            bool tornTail = i == segments.Count - 1 && segments[i].EndsWith(JournalFormat.OpenExtension, StringComparison.Ordinal);
            if (reader.End.Kind == SegmentEndKind.Damaged && !tornTail)
            {
                _damage.Add((segments[i], reader.End));
            }
        }
    }

    /// <summary>
    /// The first segment holding a record at or after <paramref name="from"/> and the index entry to start at in it:
    /// segments whose index shows every record earlier are passed over without reading them.
    /// </summary>
    private (int Segment, SegmentIndexEntry? Start) Locate(IReadOnlyList<string> segments, DateTime from)
    {
        for (int i = 0; i < segments.Count; i++)
        {
            using JournalSegmentReader reader = JournalSegmentReader.Open(segments[i]);
            SegmentIndex index = SegmentIndex.Load(segments[i], reader.Header);
            if (index.State != SegmentIndexState.Whole)
            {
                IndexFallbacks++;
                return (i, null);
            }

            if (LatestIn(reader, index) < from)
            {
                continue;
            }

            return (i, index.StartFor(from));
        }

        return (segments.Count, null);
    }

    /// <summary>The latest recorded time in a segment: from its end entry, or by reading on from the last entry (the segment being written).</summary>
    private DateTime LatestIn(JournalSegmentReader reader, SegmentIndex index)
    {
        if (index.End is { } end)
        {
            return end.MaxBefore;
        }

        DateTime latest = DateTime.MinValue;
        if (index.Entries.Count > 0 && reader.TrySeek(index.Entries[^1].Offset, index.Entries[^1].Seq))
        {
            latest = index.Entries[^1].MaxBefore;
        }

        while (reader.TryRead(out JournalRecord record))
        {
            latest = record.RecordedAt > latest ? record.RecordedAt : latest;
        }

        return latest;
    }
}
