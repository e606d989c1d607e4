using System.Net.WebSockets;

namespace MarketFeed.Emulators.Sockets;

/// <summary>
/// One client socket of an emulator: the generator and the replies to control messages both send on it, so every
/// send takes <see cref="SendLock"/> (a WebSocket allows one send at a time). Venue emulators derive their connection
/// state (subscriptions, modes) from it.
/// </summary>
public class EmulatorSocket(WebSocket socket, Action sent)
{
    public WebSocket Socket { get; } = socket;

    public SemaphoreSlim SendLock { get; } = new(1, 1);

    /// <summary>When a frame last went out (heartbeats are due after a quiet interval).</summary>
    public DateTime LastSentUtc { get; private set; }

    /// <summary>One binary frame of <paramref name="bytes"/> zeros, written in 64 KiB pieces (the <c>oversized</c> fault).</summary>
    public async Task SendLargeAsync(long bytes, CancellationToken cancellationToken)
    {
        byte[] piece = new byte[64 * 1024];
        await SendLock.WaitAsync(cancellationToken);
        try
        {
            for (long left = bytes; left > 0 && Socket.State == WebSocketState.Open; left -= piece.Length)
            {
                int count = (int)Math.Min(piece.Length, left);
                await Socket.SendAsync(piece.AsMemory(0, count), WebSocketMessageType.Binary, endOfMessage: left <= piece.Length, cancellationToken);
            }

            LastSentUtc = DateTime.UtcNow;
        }
        finally
        {
            SendLock.Release();
        }
    }

    /// <summary>Sends one frame; false when the socket was no longer open (nothing sent).</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await SendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                await Socket.SendAsync(payload, type, endOfMessage: true, cancellationToken);
                LastSentUtc = DateTime.UtcNow;
                sent();
                return true;
            }

            return false;
        }
        finally
        {
            SendLock.Release();
        }
    }
}
