namespace MarketFeed.Venues.Kraken;

/// <summary>
/// The decoder's verdict on one frame. Market data is already in the frame's <c>StreamEvents</c>; replies carry their
/// method, request id, channel and symbol, errors Kraken's text, status its system state (strings are read only for
/// these rare frames).
/// </summary>
internal readonly record struct KrakenFrame(
    KrakenFrameKind Kind,
    long RequestId = 0,
    bool Subscribe = false,
    KrakenChannel Channel = KrakenChannel.None,
    string? Symbol = null,
    string? Text = null,
    int UnknownSymbols = 0)
{
    public static KrakenFrame Malformed { get; } = new(KrakenFrameKind.Malformed);
}
