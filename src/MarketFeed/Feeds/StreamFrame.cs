namespace MarketFeed.Feeds;

/// <summary>One frame as it came off a connection: the bytes (text frames as UTF-8, never copied into a string), the kind and the receive time.</summary>
public readonly ref struct StreamFrame(ReadOnlySpan<byte> payload, bool isText, DateTime receivedUtc, int connection)
{
    public ReadOnlySpan<byte> Payload { get; } = payload;

    public bool IsText { get; } = isText;

    public DateTime ReceivedUtc { get; } = receivedUtc;

    /// <summary>Which of the session's connections it came from.</summary>
    public int Connection { get; } = connection;
}
