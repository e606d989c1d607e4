namespace MarketFeed.Venues.Upstox;

/// <summary>Upstox's <c>MarketStatus</c> enum, as <c>market_info</c> reports it per segment (wire values).</summary>
public enum UpstoxSegmentStatus
{
    PreOpenStart = 0,
    PreOpenEnd = 1,
    NormalOpen = 2,
    NormalClose = 3,
    ClosingStart = 4,
    ClosingEnd = 5,
}
