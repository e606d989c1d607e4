namespace MarketFeed.Bus.Contract;

/// <summary>
/// The header of one batch: who sent it (<see cref="GatewayId"/>, in its <see cref="Epoch"/>: a new one at every
/// start), where (<see cref="Shard"/> of <see cref="Shards"/>), its place in that shard's sequence of batches from this
/// producer (<see cref="BatchSeq"/>, from 1 in every epoch), when it was sealed, and what it carries.
/// </summary>
public readonly record struct BusBatchHeader(
    byte Major,
    byte Minor,
    uint Epoch,
    int Shard,
    int Shards,
    long BatchSeq,
    DateTime SentAt,
    int Count,
    BusChannel Channel,
    string GatewayId,
    string Venue);
