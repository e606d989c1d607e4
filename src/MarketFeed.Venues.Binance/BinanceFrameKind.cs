namespace MarketFeed.Venues.Binance;

/// <summary>What one combined-stream frame turned out to be.</summary>
internal enum BinanceFrameKind
{
    /// <summary>Not readable JSON, not an object, a field of the wrong type, a number that does not parse, a required field missing.</summary>
    Malformed,

    /// <summary>A well-formed event of a type this adapter does not subscribe to.</summary>
    UnknownEvent,

    /// <summary>A well-formed event for a symbol the instrument master does not hold.</summary>
    UnknownSymbol,

    Trade,

    BookTicker,

    DepthUpdate,

    /// <summary><c>{"result":…,"id":N}</c>: a control message (subscribe, probe) succeeded.</summary>
    ControlAck,

    /// <summary><c>{"code":…,"msg":…}</c>: a control message was refused.</summary>
    ControlError,

    /// <summary><c>serverShutdown</c>: Binance is about to close this connection.</summary>
    ServerShutdown,
}
