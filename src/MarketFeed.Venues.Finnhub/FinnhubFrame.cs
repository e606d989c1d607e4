namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// The decoder's verdict on one frame: its kind, how many trades it held, how many of them named a symbol the
/// instrument master does not know, and an error's text (read only for error frames, which are rare).
/// </summary>
internal readonly record struct FinnhubFrame(FinnhubFrameKind Kind, int Trades = 0, int UnknownSymbols = 0, string? Message = null)
{
    public static FinnhubFrame Malformed { get; } = new(FinnhubFrameKind.Malformed);
}
