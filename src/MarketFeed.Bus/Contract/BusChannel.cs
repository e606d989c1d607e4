namespace MarketFeed.Bus.Contract;

/// <summary>What a batch carries, one channel per batch (the second word of its routing key).</summary>
public enum BusChannel : byte
{
    /// <summary>Ticks.</summary>
    Tick,

    /// <summary>Order book snapshots and diffs.</summary>
    Book,

    /// <summary>Candle closes and revisions.</summary>
    Candle,

    /// <summary>Instrument definitions, health changes and the producer's heartbeats.</summary>
    State,
}
