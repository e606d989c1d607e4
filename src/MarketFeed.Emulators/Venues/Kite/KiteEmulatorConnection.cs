using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Venues.Kite;

/// <summary>One client socket of the emulator: its tokens and modes, and a send lock (the generator and replies share the socket).</summary>
internal sealed class KiteEmulatorConnection(WebSocket socket, Action sent)
{
    public const int MaxTokens = 3000;

    public WebSocket Socket { get; } = socket;

    public ConcurrentDictionary<uint, FeedMode> Modes { get; } = new();

    public SemaphoreSlim SendLock { get; } = new(1, 1);

    public DateTime LastSentUtc { get; set; }

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
