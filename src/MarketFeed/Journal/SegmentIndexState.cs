namespace MarketFeed.Journal;

/// <summary>What a segment's time index is worth (<c>journal verify</c> reports it).</summary>
public enum SegmentIndexState
{
    /// <summary>Every entry valid, and for a sealed segment the end entry present.</summary>
    Whole,

    /// <summary>No index file: seeking into the segment scans it from its first record.</summary>
    Missing,

    /// <summary>
    /// An entry or the header fails its check (or a sealed segment's index has no end entry): seeking uses the valid
    /// entries before the damage and scans from there.
    /// </summary>
    Damaged,
}
