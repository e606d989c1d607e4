using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>Where a feed delivers normalized ticks: the hub's ingest queue.</summary>
public interface IFeedSink
{
    /// <summary>Enqueues without waiting; false (and counted) when the ingest queue is full.</summary>
    bool TryPublish(in Tick tick);

    /// <summary>Enqueues, waiting for room when the ingest queue is full (backpressure to the producer, never to consumers).</summary>
    ValueTask PublishAsync(Tick tick, CancellationToken cancellationToken = default);
}
