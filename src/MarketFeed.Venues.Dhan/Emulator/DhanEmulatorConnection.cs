using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// One client socket of the emulator, main feed or depth feed: what it subscribed (an instrument may be subscribed in
/// several modes at once, as on Dhan) and a send lock (the generator and replies share the socket).
/// </summary>
internal sealed class DhanEmulatorConnection(WebSocket socket, bool depth, long opened, Action sent)
{
    public WebSocket Socket { get; } = socket;

    public bool Depth { get; } = depth;

    /// <summary>Opening order: a sixth connection drops the one with the lowest.</summary>
    public long Opened { get; } = opened;

    /// <summary>(security key, mode) pairs; depth connections use <see cref="FeedMode.Full"/>.</summary>
    public ConcurrentDictionary<(long Key, FeedMode Mode), byte> Subscribed { get; } = new();

    public SemaphoreSlim SendLock { get; } = new(1, 1);

    public int Instruments => Subscribed.Keys.Select(k => k.Key).Distinct().Count();

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

    /// <summary>Dhan's way out: the disconnect packet with its reason, then the close.</summary>
    public async Task DisconnectAsync(byte[] packet, CancellationToken cancellationToken)
    {
        try
        {
            if (await SendAsync(packet, WebSocketMessageType.Binary, cancellationToken))
            {
                await SendLock.WaitAsync(cancellationToken);
                try
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "disconnected", cancellationToken);
                }
                finally
                {
                    SendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Socket.Abort();
        }
    }
}
