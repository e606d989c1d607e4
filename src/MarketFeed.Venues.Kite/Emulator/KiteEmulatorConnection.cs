using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>One client socket of the emulator: its tokens and modes, and a send lock (the generator and replies share the socket).</summary>
internal sealed class KiteEmulatorConnection(WebSocket socket, Action sent)
{
    public const int MaxTokens = 3000;

    public WebSocket Socket { get; } = socket;

    public ConcurrentDictionary<uint, FeedMode> Modes { get; } = new();

    public SemaphoreSlim SendLock { get; } = new(1, 1);

    public DateTime LastSentUtc { get; set; }

    /// <summary>One binary frame of <paramref name="bytes"/> zeros, written in 64 KiB pieces.</summary>
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
