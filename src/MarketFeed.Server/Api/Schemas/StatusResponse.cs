namespace MarketFeed.Server.Api.Schemas;

/// <summary>The gateway's status (written by <c>StatusJson</c>): feeds, per-instrument health, quality counters.</summary>
internal sealed class StatusResponse
{
    public required FeedStatusResponse[] Feeds { get; init; }

    public required InstrumentStatusResponse[] Instruments { get; init; }

    public required QualityResponse Quality { get; init; }

    /// <summary>The recording (<c>marketfeed run --record DIR</c>); null when nothing is recorded.</summary>
    public required JournalStatusResponse? Journal { get; init; }

    /// <summary>Where closed candles are written (<c>History</c> settings); null when nothing is stored.</summary>
    public required StoreStatusResponse? Store { get; init; }

    internal sealed class StoreStatusResponse
    {
        /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
        public required string Kind { get; init; }

        /// <summary>The store: <c>sqlite</c> and its file, or <c>postgres</c> and its host, port and database; never a password.</summary>
        public required string Description { get; init; }

        /// <summary><c>opening</c>, <c>ok</c>, <c>failed</c> (the last attempt failed: candles are buffered and the store is tried again) or <c>stopped</c>.</summary>
        public required string State { get; init; }

        /// <summary>Closed candles written to the store.</summary>
        public required long Written { get; init; }

        /// <summary>Candles waiting to be written, buffered while the store is slow or down.</summary>
        public required long Pending { get; init; }

        /// <summary>Attempts to open or write the store that failed.</summary>
        public required long Failures { get; init; }

        /// <summary>Candles never written: the buffer was full (History:BufferCapacity), or the store was still down at shutdown.</summary>
        public required long Dropped { get; init; }

        /// <summary>The last failure, naming the store (its file, or host and database); null until one.</summary>
        public required string? LastError { get; init; }
    }
    /// <summary>The message bus (<c>Bus:Url</c>): publishing or consuming; null when the gateway uses none.</summary>
    public required BusStatusResponse? Bus { get; init; }

    /// <summary>Live bars compared with the venue's candles, and outages backfilled; null when reconciliation is off.</summary>
    public required ReconciliationResponse? Reconciliation { get; init; }

    internal sealed class ReconciliationResponse
    {
        /// <summary>Live bars compared with the venue's candle for the same start (each check of a bar counts).</summary>
        public required long Checked { get; init; }

        /// <summary>Live bars replaced by the venue's because they differed (sent to subscribers as <c>candleRevised</c>).</summary>
        public required long Revised { get; init; }

        /// <summary>Bars missed during an outage, fetched from the venue and inserted in order (sent as <c>candleRevised</c>).</summary>
        public required long Backfilled { get; init; }

        /// <summary>History requests or revisions that failed (logged; the bar stays as it was).</summary>
        public required long Failed { get; init; }

        /// <summary>Live bars the venue had no candle for when checked (not yet published, or no trades there).</summary>
        public required long Unmatched { get; init; }

        /// <summary>History requests made for reconciliation and backfill (one per series per batch of due bars).</summary>
        public required long Requests { get; init; }

        /// <summary>Feed outages (stream down or polling, then back) that started a backfill.</summary>
        public required long Outages { get; init; }

        /// <summary>Checks of closed bars not yet due.</summary>
        public required int Pending { get; init; }
    }

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

        /// <summary>How data arrives now: <c>stream</c>, or <c>polling</c> (REST, because the stream is down or because polling was forced).</summary>
        public required string Mode { get; init; }

        /// <summary>True when the feed was set to poll over REST on purpose (<c>Feeds:NAME:Mode = Polling</c>) and never opens its stream.</summary>
        public required bool PollingForced { get; init; }

        /// <summary>Exchange time to receive time of the feed's ticks over the last minute; null when none carried an exchange time.</summary>
        public required LatencyResponse? Latency { get; init; }

        /// <summary>Trades the venue repeated verbatim (a resent message), dropped before they became ticks.</summary>
        public required long DuplicatesDropped { get; init; }
    }

    internal sealed class LatencyResponse
    {
        /// <summary>Median, milliseconds (interpolated within the histogram's bucket).</summary>
        public required double P50Ms { get; init; }

        /// <summary>99th percentile, milliseconds (interpolated within the histogram's bucket).</summary>
        public required double P99Ms { get; init; }

        /// <summary>Ticks the percentiles cover.</summary>
        public required long Samples { get; init; }
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

        /// <summary>What the venue said about this instrument alone (it refused the subscription, e.g. over its symbol cap), printable and at most 300 characters; null otherwise. The state is then <c>error</c>.</summary>
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

        /// <summary>Bars of venue history answers skipped before storing or seeding (outside every session, duplicated, not yet ended, impossible prices).</summary>
        public required long HistoryBarsSkipped { get; init; }

        /// <summary>Bars of venue history answers stamped off the session grid and moved onto it.</summary>
        public required long HistoryBarsRebucketed { get; init; }

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
