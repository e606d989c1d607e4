namespace MarketFeed.Server.Streaming;

/// <summary>How a session's messages leave the process: a WebSocket text message or a Server-Sent Event.</summary>
internal interface IClientTransport
{
    string Name { get; }

    /// <summary>Whether the client asked for several messages per frame (the subscribe message's <c>batch</c>); SSE ignores it.</summary>
    bool Batched { get; set; }

    ValueTask SendAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Sends from here to <see cref="EndBatchAsync"/> may be written to the connection together.</summary>
    void BeginBatch();

    Task EndBatchAsync(CancellationToken cancellationToken);

    /// <summary>Ends the connection with a reason the client can read (WebSocket close status; SSE error event).</summary>
    Task CloseAsync(string reason, bool policyViolation, CancellationToken cancellationToken);
}
