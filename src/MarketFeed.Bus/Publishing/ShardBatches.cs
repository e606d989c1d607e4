using MarketFeed.Bus.Contract;

namespace MarketFeed.Bus.Publishing;

/// <summary>One owned shard's open batches (one per channel and venue), its heartbeat batch, and its batch numbering.</summary>
internal sealed class ShardBatches(int shard)
{
    /// <summary>The venue word of heartbeat batches, which belong to no venue.</summary>
    public const string HeartbeatVenue = "-";

    public int Shard { get; } = shard;

    public long BatchSeq { get; set; }

    public Dictionary<(BusChannel Channel, string Venue), OpenBatch> Open { get; } = [];

    public OpenBatch Heartbeats { get; } = new(BusChannel.State, HeartbeatVenue, BusContract.RoutingKey(BusChannel.State, HeartbeatVenue, shard));
}
