namespace MarketFeed.Journal;

/// <summary>
/// One entry of a segment's time index: a record's offset and sequence number, and the latest recorded time of every
/// record before it in the segment. Since that time never decreases along the segment, a reader starting at the last
/// entry whose <paramref name="MaxBefore"/> is before an instant misses no record at or after it, even when records
/// are recorded slightly out of time order.
/// </summary>
/// <param name="MaxBefore">The latest recorded time of the records before <paramref name="Offset"/> (<see cref="DateTime.MinValue"/> for none).</param>
/// <param name="Offset">The file offset of a record (for the end entry: where the records end).</param>
/// <param name="Seq">That record's sequence number (for the end entry: one past the last).</param>
/// <param name="End">True for the entry written when the segment is sealed: it covers every record.</param>
public readonly record struct SegmentIndexEntry(DateTime MaxBefore, long Offset, long Seq, bool End);
