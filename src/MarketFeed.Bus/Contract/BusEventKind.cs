namespace MarketFeed.Bus.Contract;

/// <summary>An event's kind byte on the wire (docs/bus.md). Values are never reused; a minor version may add kinds.</summary>
public enum BusEventKind : byte
{
    /// <summary>An admitted tick, as the producer's subscribers received it (merged state, with what it updates).</summary>
    Tick = 1,

    /// <summary>An order book snapshot or diff.</summary>
    Book = 2,

    /// <summary>A candle that just closed.</summary>
    CandleClosed = 3,

    /// <summary>A closed candle replaced by the venue's official one, or inserted from history (<c>candleRevised</c>).</summary>
    CandleRevised = 4,

    /// <summary>An instrument's health changed at the producer.</summary>
    Health = 5,

    /// <summary>An instrument's definition (tick size, lot, session calendar): sent before its first event of an epoch and in every state round.</summary>
    Instrument = 6,

    /// <summary>The producer is alive (no instrument): sent at least every heartbeat interval per shard, and once when it stops.</summary>
    Heartbeat = 7,
}
