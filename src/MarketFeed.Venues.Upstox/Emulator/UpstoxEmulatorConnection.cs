using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>One client socket of the emulator: its instrument keys and modes, keys awaiting their initial_feed, and a send lock.</summary>
internal sealed class UpstoxEmulatorConnection(WebSocket socket, Action sent)
{
    public WebSocket Socket { get; } = socket;

    /// <summary>Instrument key → subscription mode (<c>ltpc</c>, <c>option_greeks</c>, <c>full</c>, <c>full_d30</c>).</summary>
    public ConcurrentDictionary<string, string> Modes { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys subscribed since the last step: they get an initial_feed snapshot first.</summary>
    public ConcurrentQueue<string> Fresh { get; } = new();

    public SemaphoreSlim SendLock { get; } = new(1, 1);

    public int Count(string mode) => Modes.Values.Count(m => m == mode);

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
