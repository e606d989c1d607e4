using System.Buffers;

namespace MarketFeed.Bus.Publishing;

/// <summary>A sealed batch waiting in a shard's outbox until the broker confirms it; its bytes are rented and given back then.</summary>
internal sealed class OutboxBatch
{
    private OutboxBatch(byte[] bytes, int length, long batchSeq, int events, string routingKey, long sealedAt)
    {
        Bytes = bytes;
        Length = length;
        BatchSeq = batchSeq;
        Events = events;
        RoutingKey = routingKey;
        SealedAt = sealedAt;
    }

    public byte[] Bytes { get; }

    public int Length { get; }

    public long BatchSeq { get; }

    public int Events { get; }

    public string RoutingKey { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when sealed.</summary>
    public long SealedAt { get; }

    public ReadOnlyMemory<byte> Body => Bytes.AsMemory(0, Length);

    public static OutboxBatch Copy(ReadOnlySpan<byte> sealedBatch, long batchSeq, int events, string routingKey, long sealedAt)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(sealedBatch.Length);
        sealedBatch.CopyTo(bytes);
        return new OutboxBatch(bytes, sealedBatch.Length, batchSeq, events, routingKey, sealedAt);
    }

    public void Release() => ArrayPool<byte>.Shared.Return(Bytes);
}
