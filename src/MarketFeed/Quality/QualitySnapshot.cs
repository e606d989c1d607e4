namespace MarketFeed.Quality;

/// <summary>Totals of <see cref="QualityCounters"/> across partitions, plus the subscriber-side losses.</summary>
public sealed class QualitySnapshot
{
    public long Received { get; set; }

    /// <summary>Book snapshots and diffs that reached the hub (each applied change also counts once in <see cref="Received"/> as a top-of-book update).</summary>
    public long BookMessages { get; set; }

    public long Accepted { get; set; }

    public long DroppedUnwanted { get; set; }

    public long DroppedUnknownInstrument { get; set; }

    public long DroppedDuplicate { get; set; }

    public long RejectedInvalidPrice { get; set; }

    public long RejectedInvalidQuantity { get; set; }

    public long RejectedFutureTimestamp { get; set; }

    /// <summary>Ticks that contradict themselves (high below low, crossed bid/ask, unsorted depth…) or carry an absurd value.</summary>
    public long RejectedInconsistent { get; set; }

    /// <summary>All rejections: invalid price, invalid quantity, future timestamp, inconsistent.</summary>
    public long Rejected => RejectedInvalidPrice + RejectedInvalidQuantity + RejectedFutureTimestamp + RejectedInconsistent;

    public long FlaggedOutOfOrder { get; set; }

    public long FlaggedOutlier { get; set; }

    /// <summary>Ticks whose exchange time was beyond the future tolerance: delivered, ordered and bucketed by receive time.</summary>
    public long FlaggedClockAhead { get; set; }

    public long LateForCandles { get; set; }

    public long VolumeResets { get; set; }

    /// <summary>Ticks offered with <c>TryPublish</c> that found the ingest queue full and were not enqueued (producers that wait never add here).</summary>
    public long IngestFull { get; set; }

    public long SubscriberConflated { get; set; }

    public long SubscriberDropped { get; set; }

    public long CallbackErrors { get; set; }

    /// <summary>Candle history requests that failed (those series start from live data only).</summary>
    public long HistoryFailures { get; set; }

    /// <summary>Bars of venue history answers skipped before storing or seeding: outside every session, duplicated, not yet ended, impossible prices.</summary>
    public long HistoryBarsSkipped { get; set; }

    /// <summary>Bars of venue history answers stamped off the session grid and moved onto it.</summary>
    public long HistoryBarsRebucketed { get; set; }

    /// <summary>Events whose processing threw inside the hub's pipeline (a bug: the event is skipped, the pipeline goes on; each is logged).</summary>
    public long PipelineErrors { get; set; }

    /// <summary>Order books the hub keeps (one per instrument whose venue sent book messages).</summary>
    public long Books { get; set; }

    /// <summary>Books currently synced (the rest wait for a snapshot).</summary>
    public long BooksSynced { get; set; }

    /// <summary>Book diffs that skipped past their book (each starts a resync), summed over books.</summary>
    public long BookGaps { get; set; }

    /// <summary>Snapshots applied after a book's first: completed resyncs, summed over books.</summary>
    public long BookResyncs { get; set; }

    /// <summary>Book messages after which the venue's checksum did not match (each starts a resync), summed over books.</summary>
    public long BookChecksumFailures { get; set; }
}
