namespace MarketFeed.Venues.Binance;

/// <summary>A payload's <c>e</c> field. <c>bookTicker</c> payloads have none (<see cref="None"/>).</summary>
internal enum BinanceEventType : byte
{
    None,
    Trade,
    DepthUpdate,
    ServerShutdown,
    Other,
}
