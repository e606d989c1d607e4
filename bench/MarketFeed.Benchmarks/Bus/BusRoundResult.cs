namespace MarketFeed.Benchmarks.Bus;

/// <summary>
/// One side of one round: events per second confirmed by the broker and delivered to the consumer (end to end, the
/// first publish to the last delivery), the messages that carried them, and the latency of a paced phase.
/// </summary>
internal sealed record BusRoundResult(
    double PublishedEventsPerSecond,
    double ConsumedEventsPerSecond,
    double MessagesPerSecond,
    double AverageMessageBytes,
    double LatencyP50Ms,
    double LatencyP99Ms,
    long Lost)
{
    /// <summary>Events per message of the saturated phase (the gateway's batching; the baseline's is fixed).</summary>
    public double EventsPerMessage { get; init; }

    /// <summary>Batches found out of their producer's order in the streams (the gateway's side only).</summary>
    public long OutOfOrder { get; init; }
}
