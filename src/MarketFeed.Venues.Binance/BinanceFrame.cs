namespace MarketFeed.Venues.Binance;

/// <summary>
/// The decoder's verdict on one frame. Events it decoded are already in the frame's <c>StreamEvents</c>; control
/// replies carry their id, errors their code and message (read only for error frames, which are rare).
/// </summary>
internal readonly record struct BinanceFrame(BinanceFrameKind Kind, long Id = 0, int Code = 0, string? Message = null, DateTime Time = default)
{
    public static BinanceFrame Malformed { get; } = new(BinanceFrameKind.Malformed);

    public bool IsMarketData => Kind is BinanceFrameKind.Trade or BinanceFrameKind.BookTicker or BinanceFrameKind.DepthUpdate;
}
