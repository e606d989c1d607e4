namespace MarketFeed.Venues.Kraken;

/// <summary>A v2 message's <c>channel</c> (data) or a request's channel (acks).</summary>
internal enum KrakenChannel : byte
{
    None,
    Ticker,
    Trade,
    Book,
    Status,
    Heartbeat,

    /// <summary>A channel Kraken has and this adapter does not subscribe to (<c>ohlc</c>, <c>instrument</c>, <c>level3</c>, …).</summary>
    Other,
}
