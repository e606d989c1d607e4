namespace MarketFeed.Health;

/// <summary>
/// A producer's side of the bus: its epoch and shards; events and batches published and confirmed; events dropped
/// (a full outbox or firehose) and batches republished after a reconnect; what is buffered and unconfirmed now; and
/// publish-to-confirm latency over the last minute; the shards it owns that another gateway publishes now (it stands by).
/// </summary>
public sealed record BusPublishStatus(
    uint Epoch,
    IReadOnlyList<int> Shards,
    long Events,
    double EventsPerSecond,
    long Batches,
    long Confirmed,
    long Republished,
    long Dropped,
    int Buffered,
    int Unconfirmed,
    LatencySummary? ConfirmLatency,
    IReadOnlyList<int> StandingBy);
