namespace MarketFeed.Server.Api.Schemas;

/// <summary>The gateway's status (written by <c>StatusJson</c>): feeds, per-instrument health, quality counters.</summary>
internal sealed class StatusResponse
{
    public required FeedStatusResponse[] Feeds { get; init; }

    public required InstrumentStatusResponse[] Instruments { get; init; }

    public required QualityResponse Quality { get; init; }

    /// <summary>The recording (<c>marketfeed run --record DIR</c>); null when nothing is recorded.</summary>
    public required JournalStatusResponse? Journal { get; init; }

    internal sealed class JournalStatusResponse
    {
        /// <summary><c>recording</c>, <c>failed</c> (nothing more is recorded; what was written stays readable) or <c>stopped</c>.</summary>
        public required string State { get; init; }

        /// <summary>Records written, both logs.</summary>
        public required long Records { get; init; }

        /// <summary>Records not written: the queue was full, or recording had failed.</summary>
        public required long Dropped { get; init; }

        /// <summary>Bytes written to segments.</summary>
        public required long Bytes { get; init; }

        /// <summary>The recorded time (UTC) of the last record known to be on disk; null before the first flush.</summary>
        public required DateTime? DurableThrough { get; init; }

        /// <summary>Why recording failed, for people; null unless failed.</summary>
        public required string? LastError { get; init; }

        /// <summary>Why recording failed, for machines: <c>disk_full</c>, <c>access_denied</c>, <c>io_error</c> or <c>bad_journal</c>; null unless failed.</summary>
        public required string? Failure { get; init; }
    }

    internal sealed class FeedStatusResponse
    {
        public required string Feed { get; init; }

        /// <summary><c>connected</c>, <c>connecting</c>, <c>reconnecting</c>, <c>polling</c>, <c>disconnected</c>, <c>auth_failed</c>, …</summary>
        public required string State { get; init; }

        public required int Connections { get; init; }

        public required long Reconnects { get; init; }

        /// <summary>The last error, printable and at most 300 characters; never contains a secret.</summary>
        public required string? LastError { get; init; }

        public required double MessagesPerSecond { get; init; }

        public required long MalformedFrames { get; init; }

        public required long OversizedFrames { get; init; }

        public required long UnknownInstruments { get; init; }

        public required long HandlerErrors { get; init; }

        public required long PollFailures { get; init; }

        /// <summary>For the simulator: <c>24/7</c> or <c>session hours</c>; null for a real venue.</summary>
        public required string? Simulated { get; init; }
    }

    internal sealed class InstrumentStatusResponse
    {
        public required string Symbol { get; init; }

        /// <summary><c>live</c>, <c>stale</c>, <c>closed</c>, <c>waiting</c>, …</summary>
        public required string State { get; init; }

        /// <summary>Milliseconds since the last update; null before the first.</summary>
        public required long? AgeMs { get; init; }

        public required long Updates { get; init; }

        public required string? Source { get; init; }

        /// <summary>The venue's refusal of this instrument (e.g. a subscription error naming its symbol), with the venue's text; null when none.</summary>
        public required string? Error { get; init; }
    }

    internal sealed class QualityResponse
    {
        public required long Received { get; init; }

        public required long Accepted { get; init; }

        public required long DroppedUnwanted { get; init; }

        public required long DroppedUnknownInstrument { get; init; }

        public required long DroppedDuplicate { get; init; }

        public required long RejectedInvalidPrice { get; init; }

        public required long RejectedInvalidQuantity { get; init; }

        public required long RejectedFutureTimestamp { get; init; }

        public required long RejectedInconsistent { get; init; }

        public required long OutOfOrder { get; init; }

        public required long Outliers { get; init; }

        public required long ClockAhead { get; init; }

        public required long LateForCandles { get; init; }

        public required long VolumeResets { get; init; }

        public required long IngestFull { get; init; }

        public required long SubscriberConflated { get; init; }

        public required long SubscriberDropped { get; init; }

        public required long CallbackErrors { get; init; }

        public required long HistoryFailures { get; init; }

        /// <summary>Internal errors of the hub's pipeline (each logged; the pipeline keeps going).</summary>
        public required long PipelineErrors { get; init; }

        public required BookQualityResponse Books { get; init; }
    }

    internal sealed class BookQualityResponse
    {
        public required long Count { get; init; }

        public required long Synced { get; init; }

        public required long Messages { get; init; }

        public required long Gaps { get; init; }

        public required long Resyncs { get; init; }

        public required long ChecksumFailures { get; init; }
    }
}
