namespace MarketFeed.Taps;

/// <summary>
/// Sees every frame a feed session receives or sends, byte for byte, before decoding, and around them the
/// connections' opening and ending and the REST answers the feed used (for the journal). Called on the connection's
/// or request's own task: copy what you keep and return at once — the caller waits for you. The connection and REST
/// members have empty defaults, so a tap that only wants frames implements <see cref="OnFrame"/> alone.
/// </summary>
public interface IRawFrameTap
{
    void OnFrame(string feed, int connection, RawFrameDirection direction, bool isText, ReadOnlySpan<byte> bytes, DateTime atUtc);

    /// <summary>A connection's socket opened to <paramref name="endpoint"/> (scheme, host, port and path: no query, no credentials).</summary>
    void OnConnected(string feed, int connection, string endpoint, DateTime atUtc)
    {
    }

    /// <summary>A connection's socket ended, and why (the reason the feed's status shows).</summary>
    void OnDisconnected(string feed, int connection, string reason, DateTime atUtc)
    {
    }

    /// <summary>
    /// A successful REST answer the feed read (instrument list, quotes while the stream is down, book snapshots,
    /// candle history, a stream authorization): <paramref name="request"/> is the path and query with any credential
    /// parameters removed (<see cref="RawRestTap.Redact"/>), <paramref name="body"/> the body as received.
    /// </summary>
    void OnRestResponse(string feed, string request, ReadOnlySpan<byte> body, DateTime atUtc)
    {
    }
}
