using MarketFeed.Bus.Contract;

namespace MarketFeed.Bus.Publishing;

/// <summary>A batch being filled for one channel and venue of a shard, and when its first event came (for the linger).</summary>
internal sealed class OpenBatch(BusChannel channel, string venue, string routingKey)
{
    public BusChannel Channel { get; } = channel;

    public string Venue { get; } = venue;

    public string RoutingKey { get; } = routingKey;

    public BusBatchWriter Writer { get; } = new();

    public long OpenedAt { get; set; }
}
