namespace MarketFeed.Journal;

/// <summary>Why reading a segment stopped.</summary>
public enum SegmentEndKind
{
    /// <summary>Still reading.</summary>
    None,

    /// <summary>The written part ended cleanly (a zero length, or the end of the file on a record boundary).</summary>
    Clean,

    /// <summary>
    /// A record that cannot be whole: its length runs past the end of the file, or its checksum or sequence number is
    /// wrong. In the segment being written (after a crash) this is the torn tail, cut off on recovery; in a sealed
    /// segment it is damage, reported and never replayed.
    /// </summary>
    Damaged,
}

/// <summary>Where and why a segment's records end.</summary>
/// <param name="Kind">Clean end or damage.</param>
/// <param name="Offset">File offset of the first byte not part of a valid record.</param>
/// <param name="Reason">For <see cref="SegmentEndKind.Damaged"/>: what was wrong, for people.</param>
public readonly record struct SegmentEnd(SegmentEndKind Kind, long Offset, string? Reason = null);
