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

    /// <summary>
    /// Reads the next whole message. <paramref name="stillArriving"/> is called after each fragment of a message that is
    /// not complete yet, so a watchdog on silence can tell a long message still flowing from a silent socket.
    /// </summary>
    public async ValueTask<FrameRead> ReadAsync(WebSocket socket, CancellationToken cancellationToken, Action? stillArriving = null)
    {
        // Until the frame passes the limit, length == frameBytes: every read lands right after the bytes kept.
        int length = 0;
        long frameBytes = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length && _buffer.Length < maxFrameBytes)
            {
                // Computed in 64 bits: no overflow whatever the limit.
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxFrameBytes));
            }

            // Full at the limit: anything more is read over the buffer and thrown away (the frame is then oversized;
            // an empty final fragment leaves a frame of exactly the limit whole).
            Memory<byte> target = length < _buffer.Length ? _buffer.AsMemory(length) : _buffer;
            result = await socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
            frameBytes += result.Count;
            if (frameBytes <= maxFrameBytes)
            {
                length += result.Count;
            }

            if (!result.EndOfMessage)
            {
                stillArriving?.Invoke();
            }
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
