using MarketFeed.Bus.Contract;

namespace MarketFeed.Bus.Publishing;

/// <summary>The publisher's batches: opened per shard, channel and venue, sealed when full or old, numbered as they leave.</summary>
public sealed partial class BusPublisher
{
    private OpenBatch Batch(PublishedInstrument owned, BusChannel channel)
    {
        ShardBatches shard = _batches[owned.Shard];
        if (!shard.Open.TryGetValue((channel, owned.Instrument.Feed), out OpenBatch? open))
        {
            open = new OpenBatch(channel, owned.Instrument.Feed, BusContract.RoutingKey(channel, owned.Instrument.Feed, owned.Shard));
            shard.Open[(channel, owned.Instrument.Feed)] = open;
        }

        if (open.Writer.IsEmpty)
        {
            open.Writer.Begin(Epoch, owned.Shard, _options.Shards, channel, GatewayId, owned.Instrument.Feed);
            open.OpenedAt = _time.GetTimestamp();
        }

        return open;
    }

    private void Added(PublishedInstrument owned, OpenBatch open)
    {
        Interlocked.Increment(ref _counters.Events);
        if (open.Writer.Count >= _options.BatchEvents || open.Writer.Length >= _options.BatchBytes - 1024)
        {
            Seal(_batches[owned.Shard], open);
        }
    }

    private void Heartbeat(ShardBatches shard, bool stopping)
    {
        OpenBatch open = shard.Heartbeats;
        open.Writer.Begin(Epoch, shard.Shard, _options.Shards, BusChannel.State, GatewayId, ShardBatches.HeartbeatVenue);
        open.Writer.AddHeartbeat(stopping, _defined.Count(d => d.Shard == shard.Shard));
        Seal(shard, open);
    }

    private void SealAll(ShardBatches shard)
    {
        foreach (OpenBatch open in shard.Open.Values)
        {
            if (!open.Writer.IsEmpty)
            {
                Seal(shard, open);
            }
        }
    }

    private void Seal(ShardBatches shard, OpenBatch open)
    {
        long batchSeq = ++shard.BatchSeq;
        int events = open.Writer.Count;
        ReadOnlySpan<byte> bytes = open.Writer.Seal(batchSeq, _time.GetUtcNow().UtcDateTime);
        Interlocked.Increment(ref _counters.Batches);
        _publishers[shard.Shard].TryEnqueue(OutboxBatch.Copy(bytes, batchSeq, events, open.RoutingKey, _time.GetTimestamp()));
        open.Writer.Clear();
    }
}
