namespace MarketFeed.Journal;

/// <summary>What the recorder has done, for status and metrics.</summary>
/// <param name="State">Recording, failed or stopped.</param>
/// <param name="Recorded">Records written.</param>
/// <param name="Dropped">Records not written: the queue was full, or the recorder had failed.</param>
/// <param name="Bytes">Bytes written to segments.</param>
/// <param name="DurableThrough">The recorded time of the last record known to be on disk.</param>
/// <param name="LastError">Why recording failed, for people.</param>
/// <param name="Failure">Why recording failed, for machines: <c>disk_full</c>, <c>access_denied</c>, <c>io_error</c> or <c>bad_journal</c>; null unless failed.</param>
public sealed record JournalRecorderStatus(JournalRecorderState State, long Recorded, long Dropped, long Bytes, DateTime? DurableThrough, string? LastError, string? Failure = null);
