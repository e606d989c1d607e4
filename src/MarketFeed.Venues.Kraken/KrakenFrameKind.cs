namespace MarketFeed.Venues.Kraken;

/// <summary>What one v2 frame turned out to be.</summary>
internal enum KrakenFrameKind
{
    /// <summary>Not readable JSON, not an object, a field of the wrong type, a number that is not exact, a required field missing.</summary>
    Malformed,

    /// <summary>A well-formed data message of a channel this adapter does not subscribe to.</summary>
    UnknownChannel,

    /// <summary>Well-formed data for symbols the instrument master does not hold only.</summary>
    UnknownSymbol,

    /// <summary>Market data (ticker, trade or book): its events are in the frame's <c>StreamEvents</c>.</summary>
    MarketData,

    /// <summary><c>{"channel":"heartbeat"}</c>: sent about once a second on a connection with subscriptions.</summary>
    Heartbeat,

    /// <summary><c>{"channel":"status",…}</c>: the engine's state (<c>online</c>, <c>maintenance</c>, …), on connect and on change.</summary>
    Status,

    /// <summary><c>{"method":"pong","req_id":N}</c>: the answer to our ping.</summary>
    Pong,

    /// <summary>A <c>subscribe</c> or <c>unsubscribe</c> that succeeded (one ack per symbol).</summary>
    Ack,

    /// <summary>A request that failed: <c>"success":false</c> with Kraken's <c>error</c> text, naming a symbol when it concerns one.</summary>
    RequestError,
}
