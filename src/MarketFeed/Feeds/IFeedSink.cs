using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>Where a feed delivers normalized events: the hub's ingest queues.</summary>
public interface IFeedSink
{
    /// <summary>Enqueues without waiting; false (and counted) when the ingest queue is full.</summary>
    bool TryPublish(in Tick tick);

    /// <summary>Enqueues, waiting for room when the ingest queue is full (backpressure to the producer, never to consumers).</summary>
    ValueTask PublishAsync(Tick tick, CancellationToken cancellationToken = default);

    /// <summary>Completes once everything published before the call has been applied (replays use it before moving the clock).</summary>
    Task FlushAsync();

    /// <summary>
    /// Replaces closed bars after the fact — bars the source a feed relays revised or backfilled (flagged so), see
    /// <c>MarketHub.ApplyCandleRevisionsAsync</c>. Returns how many bars of <paramref name="interval"/> changed.
    /// </summary>
    Task<int> ApplyCandleRevisionsAsync(Instrument instrument, CandleInterval interval, IReadOnlyList<Candle> bars, CancellationToken ct);

    /// <summary>Enqueues a book snapshot or diff (from <see cref="BookUpdate.Rent"/>); the hub returns it to the pool once applied.</summary>
    ValueTask PublishAsync(BookUpdate book, CancellationToken cancellationToken = default);

    /// <summary>
    /// An instrument's book needs a snapshot (it is new, or a gap or failed checksum was found). Raised on the hub's
    /// thread: handlers only queue the request (a feed that can fetch snapshots does so and publishes one).
    /// </summary>
    event Action<InstrumentId>? BookSnapshotNeeded;
}
