using System.Diagnostics.Metrics;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Journal;
using MarketFeed.Quality;
using MarketFeed.Serialization;

namespace MarketFeed.Server.Metrics;

/// <summary>
/// Everything /metrics reports, as <see cref="System.Diagnostics.Metrics"/> instruments on meter <c>MarketFeed</c>.
/// Hub-side figures are observed from counters the hub already keeps, so the tick path pays nothing for them;
/// only what happens per sent message (count, latency) is recorded directly.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "MarketFeed";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _messagesSent;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _originsRejected;
    private readonly Counter<long> _hostsRejected;
    private readonly MarketFeedHost _host;
    private QualitySnapshot _quality = new();
    private int _clients;

    public GatewayMetrics(MarketFeedHost host)
    {
        _host = host;
        _messagesSent = _meter.CreateCounter<long>("marketfeed.messages.sent", description: "Messages sent to streaming clients, by kind and transport");
        _latency = _meter.CreateHistogram<double>("marketfeed.latency", "ms", "Tick receive time to send time to a client");
        _disconnects = _meter.CreateCounter<long>("marketfeed.clients.disconnected", description: "Streaming clients disconnected by the server, by reason");
        _originsRejected = _meter.CreateCounter<long>("marketfeed.origins.rejected", description: "Streaming requests refused because their Origin is not allowed");
        _hostsRejected = _meter.CreateCounter<long>("marketfeed.hosts.rejected", description: "Requests refused because their Host is not a name the gateway answers to");
        _meter.CreateObservableGauge("marketfeed.clients", () => Volatile.Read(ref _clients), description: "Connected streaming clients");
        _meter.CreateObservableGauge("marketfeed.ingest.queue.depth", () => host.Hub.QueueDepth, description: "Events waiting in the hub's ingest queues");
        _meter.CreateObservableCounter("marketfeed.ticks.received", () => Volatile.Read(ref _quality).Received, description: "Ticks that reached the hub");
        _meter.CreateObservableCounter("marketfeed.ticks.accepted", () => Volatile.Read(ref _quality).Accepted, description: "Ticks admitted and delivered");
        _meter.CreateObservableCounter("marketfeed.ticks.dropped", () => Drops(Volatile.Read(ref _quality)), description: "Ticks dropped, rejected or lost, by reason");
        _meter.CreateObservableCounter("marketfeed.ticks.flagged", () => Flags(Volatile.Read(ref _quality)), description: "Ticks delivered with a quality flag, by flag");
        _meter.CreateObservableCounter("marketfeed.feed.reconnects", () => PerFeed(host, f => f.Reconnects), description: "Reconnects per feed");
        _meter.CreateObservableGauge("marketfeed.feed.messages.rate", () => PerFeed(host, f => f.MessagesPerSecond()), description: "Messages per second per feed");
        _meter.CreateObservableGauge("marketfeed.feed.connected", () => PerFeed(host, f => f.State is FeedState.Connected or FeedState.Polling ? 1 : 0), description: "1 while the feed delivers data");
        _meter.CreateObservableGauge("marketfeed.feed.state", () => FeedStates(host), description: "1 for each feed's current state (connected, reconnecting, polling, auth_failed, disconnected, ...)");
        _meter.CreateObservableCounter("marketfeed.feed.frames.rejected", () => RejectedFrames(host), description: "Venue frames counted and skipped, by feed and reason");
        _meter.CreateObservableCounter("marketfeed.feed.unknown.instruments", () => PerFeed(host, f => f.UnknownInstruments), description: "Venue updates for instruments the instrument master does not know");
        _meter.CreateObservableGauge("marketfeed.books", () => Volatile.Read(ref _quality).Books, description: "Order books the hub keeps");
        _meter.CreateObservableGauge("marketfeed.books.synced", () => Volatile.Read(ref _quality).BooksSynced, description: "Order books currently synced (the rest wait for a snapshot)");
        _meter.CreateObservableCounter("marketfeed.book.gaps", () => Volatile.Read(ref _quality).BookGaps, description: "Book diffs that skipped past their book, each starting a resync (all books)");
        _meter.CreateObservableCounter("marketfeed.book.resyncs", () => Volatile.Read(ref _quality).BookResyncs, description: "Book resyncs completed: snapshots applied after a book's first (all books)");
        _meter.CreateObservableCounter("marketfeed.book.checksum_failures", () => Volatile.Read(ref _quality).BookChecksumFailures, description: "Book messages after which the venue's checksum did not match (all books)");
        _meter.CreateObservableCounter("marketfeed.hub.errors", () => Errors(Volatile.Read(ref _quality)), description: "Internal errors, by kind: pipeline (an event whose processing threw), callback (a subscriber callback threw), history (a candle history request failed)");
        _meter.CreateObservableGauge("marketfeed.journal.state", () => JournalStates(host.JournalStatus()), description: "1 for the recording's current state (recording, failed, stopped), 0 for the others; none when nothing is recorded");
        _meter.CreateObservableGauge("marketfeed.journal.failed", () => JournalFailure(host.JournalStatus()), description: "1 once recording has failed, by reason (disk_full, access_denied, io_error, bad_journal)");
        _meter.CreateObservableCounter("marketfeed.journal.records", () => JournalValue(host.JournalStatus(), j => j.Recorded), description: "Records written to the journal (both logs)");
        _meter.CreateObservableCounter("marketfeed.journal.dropped", () => JournalValue(host.JournalStatus(), j => j.Dropped), description: "Records not written: the recorder's queue was full, or recording had failed");
        _meter.CreateObservableCounter("marketfeed.journal.bytes", () => JournalValue(host.JournalStatus(), j => j.Bytes), description: "Bytes written to journal segments");
        _meter.CreateObservableGauge("marketfeed.journal.durable_through_seconds", () => JournalDurable(host.JournalStatus()), description: "Recorded time (Unix seconds) of the last record known to be on disk");
        _meter.CreateObservableGauge("marketfeed.store.state", () => StoreStates(host.StoreStatus()), description: "1 for the candle store's current state (opening, ok, failed, stopped), 0 for the others; none when nothing is stored");
        _meter.CreateObservableCounter("marketfeed.store.written", () => StoreValue(host.StoreStatus(), s => s.Written), description: "Closed candles written to the candle store");
        _meter.CreateObservableGauge("marketfeed.store.pending", () => StoreValue(host.StoreStatus(), s => s.Pending), description: "Candles waiting to be written to the candle store (buffered while it is down)");
        _meter.CreateObservableCounter("marketfeed.store.failures", () => StoreValue(host.StoreStatus(), s => s.Failures), description: "Attempts to open or write the candle store that failed");
        _meter.CreateObservableCounter("marketfeed.store.dropped", () => StoreValue(host.StoreStatus(), s => s.Dropped), description: "Candles never written to the store: its buffer was full, or it was down at shutdown");
        _meter.CreateObservableCounter("marketfeed.feed.duplicates.dropped", () => PerFeed(host, f => f.DuplicatesDropped), description: "Trades a venue repeated verbatim, dropped before they became ticks");
        _meter.CreateObservableCounter("marketfeed.history.reconciliation", () => Reconciliation(host.Reconciliation?.Status()), description: "Reconciliation with the venues' candles, by kind: checked, revised, backfilled, failed, unmatched, requests");
        _meter.CreateObservableCounter("marketfeed.feed.poll.failures", () => PerFeed(host, f => f.PollFailures), description: "REST polling rounds that failed while the stream was down");
        BusMetrics.Register(_meter, host);
    }

    internal Meter Meter => _meter;

    /// <summary>Each feed's exchange-to-receive latency histogram, kept by the hub (rendered by the exporter as <c>marketfeed_feed_latency</c>).</summary>
    internal IEnumerable<FeedLatency> FeedLatencies => _host.Feeds.Select(f => _host.Hub.LatencyOf(f.Name));

    /// <summary>The streaming fan-out's counters: ticks conflated in clients' pending sets, and ticks encoded (once each, for all clients).</summary>
    internal void ObserveFanout(Func<long> clientConflated, Func<long> encoded)
    {
        _meter.CreateObservableCounter("marketfeed.client.ticks.conflated", clientConflated, description: "Ticks replaced by a newer one of the same instrument before a slow streaming client was sent them");
        _meter.CreateObservableCounter("marketfeed.ticks.encoded", encoded, description: "Ticks serialized for streaming clients (once per tick, shared by every client)");
    }

    /// <summary>
    /// Takes one quality snapshot for a scrape, so every hub counter in it is read at the same moment (received is
    /// never older than accepted) and the partitions are summed once, not once per counter.
    /// </summary>
    internal void Refresh() => Volatile.Write(ref _quality, _host.Hub.Quality());

    public void ClientConnected() => Interlocked.Increment(ref _clients);

    public void ClientDisconnected() => Interlocked.Decrement(ref _clients);

    public void Disconnected(string reason) => _disconnects.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void OriginRejected() => _originsRejected.Add(1);

    public void HostRejected() => _hostsRejected.Add(1);

    public void Sent(string kind, string transport, long count = 1)
    {
        if (count > 0)
        {
            _messagesSent.Add(count, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("transport", transport));
        }
    }

    public void Latency(double milliseconds) => _latency.Record(milliseconds);

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Drops(QualitySnapshot q) =>
    [
        Reason(q.DroppedUnwanted, "unwanted"),
        Reason(q.DroppedUnknownInstrument, "unknown_instrument"),
        Reason(q.DroppedDuplicate, "duplicate"),
        Reason(q.RejectedInvalidPrice, "invalid_price"),
        Reason(q.RejectedInvalidQuantity, "invalid_quantity"),
        Reason(q.RejectedFutureTimestamp, "future_timestamp"),
        Reason(q.RejectedInconsistent, "inconsistent"),
        Reason(q.IngestFull, "ingest_full"),
        Reason(q.SubscriberDropped, "subscriber_queue_full"),
        Reason(q.SubscriberConflated, "subscriber_conflated"),
        Reason(q.LateForCandles, "late_for_candles"),
    ];

    private static IEnumerable<Measurement<long>> Errors(QualitySnapshot q) =>
    [
        new(q.PipelineErrors, new KeyValuePair<string, object?>("kind", "pipeline")),
        new(q.CallbackErrors, new KeyValuePair<string, object?>("kind", "callback")),
        new(q.HistoryFailures, new KeyValuePair<string, object?>("kind", "history")),
    ];

    private static IEnumerable<Measurement<long>> Flags(QualitySnapshot q) =>
    [
        Flag(q.FlaggedOutOfOrder, "out_of_order"),
        Flag(q.FlaggedOutlier, "outlier"),
        Flag(q.FlaggedClockAhead, "clock_ahead"),
    ];

    private static Measurement<long> Flag(long value, string flag) => new(value, new KeyValuePair<string, object?>("flag", flag));

    private static Measurement<long> Reason(long value, string reason) => new(value, new KeyValuePair<string, object?>("reason", reason));

    private static IEnumerable<Measurement<int>> JournalStates(JournalRecorderStatus? journal) =>
        journal is null ? [] : Enum.GetValues<JournalRecorderState>()
            .Select(s => new Measurement<int>(s == journal.State ? 1 : 0, new KeyValuePair<string, object?>("state", s.Lower()))).ToList();

    private static IEnumerable<Measurement<int>> JournalFailure(JournalRecorderStatus? journal) =>
        journal?.Failure is { } reason ? [new Measurement<int>(1, new KeyValuePair<string, object?>("reason", reason))] : [];

    private static IEnumerable<Measurement<long>> JournalValue(JournalRecorderStatus? journal, Func<JournalRecorderStatus, long> value) =>
        journal is null ? [] : [new Measurement<long>(value(journal))];

    private static IEnumerable<Measurement<long>> Reconciliation(ReconciliationStatus? r) =>
        r is null ? [] :
        [
            new(r.Checked, new KeyValuePair<string, object?>("kind", "checked")),
            new(r.Revised, new KeyValuePair<string, object?>("kind", "revised")),
            new(r.Backfilled, new KeyValuePair<string, object?>("kind", "backfilled")),
            new(r.Failed, new KeyValuePair<string, object?>("kind", "failed")),
            new(r.Unmatched, new KeyValuePair<string, object?>("kind", "unmatched")),
            new(r.Requests, new KeyValuePair<string, object?>("kind", "requests")),
        ];

    private static IEnumerable<Measurement<double>> JournalDurable(JournalRecorderStatus? journal) =>
        journal?.DurableThrough is { } durable ? [new Measurement<double>((durable - DateTime.UnixEpoch).TotalSeconds)] : [];

    private static IEnumerable<Measurement<int>> StoreStates(CandleStoreStatus? store) =>
        store is null ? [] : Enum.GetValues<CandleStoreState>()
            .Select(s => new Measurement<int>(s == store.State ? 1 : 0, new KeyValuePair<string, object?>("state", s.Lower()), new KeyValuePair<string, object?>("kind", store.Kind))).ToList();

    private static IEnumerable<Measurement<long>> StoreValue(CandleStoreStatus? store, Func<CandleStoreStatus, long> value) =>
        store is null ? [] : [new Measurement<long>(value(store), new KeyValuePair<string, object?>("kind", store.Kind))];

    private static IEnumerable<Measurement<int>> FeedStates(MarketFeedHost host) =>
        host.Feeds.Select(f => new Measurement<int>(1, new KeyValuePair<string, object?>("feed", f.Name), new KeyValuePair<string, object?>("state", f.Health.State.Snake()))).ToList();

    private static IEnumerable<Measurement<long>> RejectedFrames(MarketFeedHost host) =>
        host.Feeds.SelectMany(f => new[]
        {
            FeedReason(f.Name, f.Health.MalformedFrames, "malformed"),
            FeedReason(f.Name, f.Health.OversizedFrames, "oversized"),
            FeedReason(f.Name, f.Health.HandlerErrors, "handler_error"),
        }).ToList();

    private static Measurement<long> FeedReason(string feed, long value, string reason) =>
        new(value, new KeyValuePair<string, object?>("feed", feed), new KeyValuePair<string, object?>("reason", reason));

    private static IEnumerable<Measurement<T>> PerFeed<T>(MarketFeedHost host, Func<FeedHealth, T> value)
        where T : struct =>
        host.Feeds.Select(f => new Measurement<T>(value(f.Health), new KeyValuePair<string, object?>("feed", f.Name))).ToList();
}
