using System.Buffers;
using System.Net.WebSockets;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// One WebSocket text message per message, or with <see cref="Batched"/> one message per writer pass holding a JSON
/// array of that pass's messages (split past <see cref="MaxBatchBytes"/>). The writer frames a pass itself into one
/// buffer (server frames are unmasked: a header and the bytes) and the <see cref="BatchingStream"/> writes it at once,
/// so a message costs a copy, not a send; pongs and the close still go through the WebSocket.
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket, BatchingStream stream) : IClientTransport
{
    /// <summary>A batched frame is closed once it holds this much, and a new one begun.</summary>
    internal const int MaxBatchBytes = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _pass = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _batch = new(4096);

    public string Name => "ws";

    public bool Batched { get; set; }

    public void BeginBatch() => stream.BeginBatch();

    public async Task EndBatchAsync(CancellationToken cancellationToken)
    {
        CloseBatch();
        try
        {
            // Nothing after our close frame: a pass that ends after the close is dropped (the client is going anyway).
            bool open = socket.State is WebSocketState.Open or WebSocketState.CloseReceived;
            await stream.EndBatchAsync(open ? _pass.WrittenMemory : ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
        finally
        {
            _pass.ResetWrittenCount();
        }
    }

    public ValueTask SendAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (!Batched)
        {
            WebSocketFrames.WriteText(_pass, json.Span);
            return ValueTask.CompletedTask;
        }

        if (_batch.WrittenCount > 0 && _batch.WrittenCount + json.Length + 1 > MaxBatchBytes)
        {
            CloseBatch();
        }

        _batch.Write(_batch.WrittenCount == 0 ? "["u8 : ","u8);
        _batch.Write(json.Span);
        return ValueTask.CompletedTask;
    }

    public async Task CloseAsync(string reason, bool policyViolation, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            WebSocketCloseStatus status = policyViolation ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.NormalClosure;
            await socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, cancellationToken);
        }
    }

    private void CloseBatch()
    {
        if (_batch.WrittenCount == 0)
        {
            return;
        }

        _batch.Write("]"u8);
        WebSocketFrames.WriteText(_pass, _batch.WrittenSpan);
        _batch.ResetWrittenCount();
    }
}
