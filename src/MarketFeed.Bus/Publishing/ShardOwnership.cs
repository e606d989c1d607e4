namespace MarketFeed.Bus.Publishing;

/// <summary>Whether a gateway may publish a shard (see <see cref="ShardLocks"/>).</summary>
internal enum ShardOwnership
{
    /// <summary>Not known yet (starting, or the lock connection dropped): the shard's batches wait, nothing is sent.</summary>
    Unknown = 0,

    /// <summary>This gateway holds the shard's lock and publishes it.</summary>
    Held = 1,

    /// <summary>Another gateway holds it: this one stands by and drops (and counts) the shard's batches.</summary>
    HeldElsewhere = 2,
}
