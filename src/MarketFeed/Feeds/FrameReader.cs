using System.Net.WebSockets;

namespace MarketFeed.Feeds;

/// <summary>
/// Reads whole WebSocket messages into one reused buffer that grows by doubling up to a limit. A message past the
/// limit is read to its end into the same buffer and thrown away, so no venue can make the process hold more than
/// the limit per connection, whatever it sends.
/// </summary>
internal sealed class FrameReader(int maxFrameBytes)
{
    private byte[] _buffer = new byte[Math.Min(64 * 1024, maxFrameBytes)];

    public async ValueTask<FrameRead> ReadAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        int length = 0;
        long frameBytes = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length && frameBytes < maxFrameBytes)
            {
                // Computed in 64 bits: no overflow whatever the limit.
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxFrameBytes));
            }

            int offset = frameBytes >= maxFrameBytes || length == _buffer.Length ? 0 : length;
            result = await socket.ReceiveAsync(_buffer.AsMemory(offset), cancellationToken).ConfigureAwait(false);
            frameBytes += result.Count;
            length = frameBytes > maxFrameBytes ? _buffer.Length : offset + result.Count;
        }
        while (!result.EndOfMessage);

        return new FrameRead(
            result.MessageType == WebSocketMessageType.Close,
            result.MessageType == WebSocketMessageType.Text,
            frameBytes,
            frameBytes > maxFrameBytes ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, length));
    }
}

/// <summary>One message: a close, or a text/binary payload (empty and <see cref="Oversized"/> when it was past the limit).</summary>
internal readonly record struct FrameRead(bool IsClose, bool IsText, long Bytes, ReadOnlyMemory<byte> Payload)
{
    public bool Oversized => !IsClose && Bytes > 0 && Payload.IsEmpty && Bytes != Payload.Length;
}
