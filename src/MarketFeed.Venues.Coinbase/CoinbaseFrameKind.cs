namespace MarketFeed.Venues.Coinbase;

/// <summary>What one Advanced Trade message turned out to be.</summary>
internal enum CoinbaseFrameKind
{
    /// <summary>Not readable JSON, not an object, a field of the wrong type, a number that does not parse, a required field missing.</summary>
    Malformed,

    /// <summary><c>ticker</c>, <c>ticker_batch</c>, <c>market_trades</c> or <c>l2_data</c>: its events are in the frame's <c>StreamEvents</c>.</summary>
    MarketData,

    /// <summary><c>heartbeats</c>: the connection is alive.</summary>
    Heartbeat,

    /// <summary><c>subscriptions</c>: what the connection is now subscribed to (the answer to a subscribe or unsubscribe).</summary>
    Subscriptions,

    /// <summary>A well-formed message on a channel this adapter does not subscribe to (Coinbase says to ignore those).</summary>
    OtherChannel,

    /// <summary><c>{"type":"error","message":…}</c>: Coinbase refused something.</summary>
    Error,
}
