using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// The WebSocket v2 endpoint (<c>/v2</c>). Upgrades pass the faults (Cloudflare's 403 for <c>auth</c>, 503 for
/// <c>refuse</c>); each connection gets Kraken's <c>status</c> message first, then answers to its requests. One
/// request more than the per-second budget is answered "Exceeded msg rate" and the connection is closed.
/// </summary>
internal sealed class KrakenEmulatorStreams(KrakenEmulatorOptions options, KrakenEmulatorFaults faults, KrakenControlMessages controls, Action rejected, Action sent)
{
    private const int MaxMessageBytes = 64 * 1024;
    private readonly ConcurrentDictionary<KrakenEmulatorConnection, byte> _connections = new();
    private long _nextConnectionId = 1_000_000_000;

    public ICollection<KrakenEmulatorConnection> Connections => _connections.Keys;

    /// <summary>Aborts every client socket at once, as a network failure would.</summary>
    public int DropAll()
    {
        int dropped = 0;
        foreach (KrakenEmulatorConnection connection in _connections.Keys)
        {
            connection.Socket.Abort();
            dropped++;
        }

        return dropped;
    }

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (faults.Shared.RejectAuth)
        {
            rejected();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (faults.Shared.RefuseStream)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new KrakenEmulatorConnection(socket, Interlocked.Increment(ref _nextConnectionId), sent);
        _connections[connection] = 0;
        try
        {
            if (!faults.Shared.Silent)
            {
                await connection.SendTextAsync(KrakenJson.Status(connection.Id, "online"), context.RequestAborted);
            }

            await ReceiveAsync(connection, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task ReceiveAsync(KrakenEmulatorConnection connection, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxMessageBytes];
        while (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    await connection.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big");
                    return;
                }

                result = await connection.Socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (connection.Socket.State == WebSocketState.CloseReceived)
                {
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                }

                return;
            }

            DateTime received = DateTime.UtcNow;
            if (connection.Closing)
            {
                continue;
            }

            if (connection.OverBudget(received, options.MaxIncomingMessagesPerSecond))
            {
                await connection.SendTextAsync(KrakenJson.Error(null, "Exceeded msg rate", null, null, received, DateTime.UtcNow), cancellationToken);
                _ = connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Exceeded msg rate");
                continue;
            }

            await connection.Sequence.WaitAsync(cancellationToken);
            try
            {
                // A mute venue answers nothing either (the subscription still takes effect for when it speaks again).
                foreach (string answer in controls.Answer(connection, Encoding.UTF8.GetString(buffer, 0, length), received))
                {
                    if (!faults.Shared.Silent)
                    {
                        await connection.SendTextAsync(answer, cancellationToken);
                    }
                }
            }
            finally
            {
                connection.Sequence.Release();
            }
        }
    }
}
