namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// The decoder's verdict on one frame: its kind, the connection-wide <c>sequence_num</c> (−1 when the message has
/// none, as errors do), products named that the master does not hold, and an error's text (read only for errors).
/// </summary>
internal readonly record struct CoinbaseFrame(CoinbaseFrameKind Kind, long Sequence = -1, int UnknownProducts = 0, string? Message = null)
{
    public static CoinbaseFrame Malformed { get; } = new(CoinbaseFrameKind.Malformed);
}
