using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Emulators.Sockets;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// One client socket of the emulator, main feed or depth feed: what it subscribed (an instrument may be subscribed in
/// several modes at once, as on Dhan) and a send lock (the generator and replies share the socket).
/// </summary>
internal sealed class DhanEmulatorConnection(WebSocket socket, bool depth, long opened, Action sent) : EmulatorSocket(socket, sent)
{
    public bool Depth { get; } = depth;

    /// <summary>Opening order: a sixth connection drops the one with the lowest.</summary>
    public long Opened { get; } = opened;

    /// <summary>(security key, mode) pairs; depth connections use <see cref="FeedMode.Full"/>.</summary>
    public ConcurrentDictionary<(long Key, FeedMode Mode), byte> Subscribed { get; } = new();

    public int Instruments => Subscribed.Keys.Select(k => k.Key).Distinct().Count();

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
