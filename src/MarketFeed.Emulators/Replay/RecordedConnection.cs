namespace MarketFeed.Emulators.Replay;

/// <summary>
/// One socket's life in a raw recording: the endpoint it opened (null in recordings without connection markers),
/// its frames in order, and why it ended (null when the recording stops before it did).
/// </summary>
public sealed class RecordedConnection(uint connection, string? endpoint)
{
    /// <summary>The feed's connection number (a shard); one number can have several lives, one per reconnect.</summary>
    public uint Connection { get; } = connection;

    public string? Endpoint { get; } = endpoint;

    /// <summary>The endpoint's path (<c>/</c> when unknown), used to give a new socket the life recorded for its path.</summary>
    public string Path { get; } = endpoint is not null && Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) ? uri.AbsolutePath : "/";

    public List<RecordedFrame> Frames { get; } = [];

    public string? EndedBecause { get; set; }

    public int Inbound => Frames.Count(f => f.Inbound);
}
