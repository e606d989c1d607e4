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

    public JournalLogReader(string journal, JournalLogKind log)
    {
        if (!JournalFiles.IsJournal(journal))
        {
            throw new JournalException($"{journal}: not a MarketFeed journal (no raw/ or events/ folder); record one with `marketfeed record` or `marketfeed run --record`");
        }

        _journal = journal;
        _log = log;
    }

    /// <summary>Records skipped because of damage, counted from the sequence numbers around it.</summary>
    public long Gaps { get; private set; }

    /// <summary>The records recorded at or after <paramref name="from"/> and before <paramref name="to"/>, oldest first.</summary>
    public IEnumerable<JournalRecord> Read(DateTime? from = null, DateTime? to = null)
    {
        IReadOnlyList<string> segments = JournalFiles.Segments(_journal, _log);
        int first = from is { } start ? FirstSegmentFor(segments, start) : 0;
        long expected = 0;
        for (int i = first; i < segments.Count; i++)
        {
            using JournalSegmentReader reader = JournalSegmentReader.Open(segments[i]);
            if (expected != 0 && reader.Header.FirstSeq > expected)
            {
                Gaps += reader.Header.FirstSeq - expected;
            }

            while (reader.TryRead(out JournalRecord record))
            {
                expected = record.Seq + 1;
                if (from is { } f && record.RecordedAt < f)
                {
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
        }
    }

    /// <summary>The last segment whose first record is not after <paramref name="from"/> (its creation time bounds it from below).</summary>
    private static int FirstSegmentFor(IReadOnlyList<string> segments, DateTime from)
    {
        int chosen = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            using JournalSegmentReader reader = JournalSegmentReader.Open(segments[i]);
            if (reader.Header.CreatedAt > from)
            {
                break;
            }

            chosen = i;
        }

        return chosen;
    }
}
