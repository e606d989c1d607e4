namespace MarketFeed.Health;

/// <summary>
/// A consumer's side of the bus: events and batches taken; sequence gaps, duplicates and rewinds found; messages
/// skipped as damaged or of an unknown contract version (with the last one described); sent-to-delivered latency over
/// the last minute; and every producer heard from, with the most recent gaps.
/// </summary>
public sealed record BusConsumeStatus(
    IReadOnlyList<int> Shards,
    long Events,
    double EventsPerSecond,
    long Batches,
    long Gaps,
    long Duplicates,
    long Rewinds,
    long Damaged,
    long UnknownVersion,
    string? LastSkipped,
    LatencySummary? Latency,
    IReadOnlyList<BusProducerStatus> Producers,
    IReadOnlyList<BusGap> RecentGaps);
