namespace MarketFeed.Bus.Publishing;

/// <summary>A producer's running totals, updated with Interlocked by the firehose reader and the shard tasks.</summary>
internal sealed class PublishCounters
{
    public long Events;
    public long Batches;
    public long Confirmed;
    public long ConfirmedEvents;
    public long Republished;
    public long Dropped;
}
