using System.Net.WebSockets;

namespace MarketFeed.Server.Streaming;

internal sealed class WebSocketTransport(WebSocket socket, BatchingStream stream) : IClientTransport
{
    public string Name => "ws";

    public void BeginBatch() => stream.BeginBatch();

    public Task EndBatchAsync(CancellationToken cancellationToken) => stream.EndBatchAsync(cancellationToken);

    public ValueTask SendAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public async Task CloseAsync(string reason, bool policyViolation, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            WebSocketCloseStatus status = policyViolation ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.NormalClosure;
            await socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, cancellationToken);
        }
    }
}
