namespace MarketFeed.Bus.Consuming;

/// <summary>A consumer's running totals, updated with Interlocked by the shard consumers.</summary>
internal sealed class ConsumeCounters
{
    public long Events;
    public long Batches;
    public long Gaps;
    public long Duplicates;
    public long Rewinds;
    public long Damaged;
    public long UnknownVersion;
}
