namespace MarketFeed.Venues.Finnhub;

/// <summary>What a Finnhub frame turned out to be.</summary>
internal enum FinnhubFrameKind
{
    /// <summary>Not a Finnhub message: invalid JSON, a wrong type, a trade without a required field or with an inexact number.</summary>
    Malformed,

    /// <summary><c>{"data":[…],"type":"trade"}</c>: its trades of known symbols are in the events.</summary>
    Trade,

    /// <summary><c>{"type":"ping"}</c>, Finnhub's keepalive.</summary>
    Ping,

    /// <summary><c>{"msg":"…","type":"error"}</c> (e.g. over the symbol cap).</summary>
    Error,

    /// <summary>News or press releases (premium channels this feed never subscribes to): read and ignored.</summary>
    Ignored,

    /// <summary>Valid JSON with a <c>type</c> Finnhub does not send.</summary>
    UnknownType,
}
