using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The stream endpoints: <c>/stream?streams=a/b/c</c> (combined form) and <c>/ws/a/b</c> or <c>/ws</c> (raw form),
/// <c>timeUnit=MICROSECOND</c> honoured. Upgrades pass the faults (the WAF's 403 for <c>auth</c>, 503 for
/// <c>refuse</c>); a URL naming an invalid stream or more than 1024 is closed with 1008. Each connection's control
/// messages are answered, and one message more than the per-second budget closes it with 1008, as Binance does.
/// Pings every <see cref="BinanceEmulatorOptions.PingInterval"/>; ping and pong frames are handled by the WebSocket
/// itself and not counted in the budget.
/// </summary>
internal sealed class BinanceEmulatorStreams(BinanceEmulatorOptions options, BinanceEmulatorFaults faults, Action rejected, Action sent)
{
    private const int MaxMessageBytes = 64 * 1024;
    private readonly ConcurrentDictionary<BinanceEmulatorConnection, byte> _connections = new();

    public ICollection<BinanceEmulatorConnection> Connections => _connections.Keys;

    public Task AcceptCombinedAsync(HttpContext context) => AcceptAsync(context, context.Request.Query["streams"].ToString(), combined: true);

    public Task AcceptRawAsync(HttpContext context, string? streams) => AcceptAsync(context, streams ?? "", combined: false);

    /// <summary>Aborts every client socket at once, as a network failure would.</summary>
    public int DropAll()
    {
        int dropped = 0;
        foreach (BinanceEmulatorConnection connection in _connections.Keys)
        {
            connection.Socket.Abort();
            dropped++;
        }

        return dropped;
    }

    private async Task AcceptAsync(HttpContext context, string streamList, bool combined)
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

        string unit = context.Request.Query["timeUnit"].ToString();
        bool microseconds = unit is "MICROSECOND" or "microsecond";
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(
            new WebSocketAcceptContext { KeepAliveInterval = options.PingInterval, KeepAliveTimeout = options.PongTimeout });
        var connection = new BinanceEmulatorConnection(socket, combined, microseconds, DateTime.UtcNow, sent);
        string[] streams = streamList.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!streams.All(BinanceStreamNames.IsValid) || !connection.TrySubscribe(streams))
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "{\"code\":-1,\"msg\":\"Illegal format ws or stream\"}");
            return;
        }

        _connections[connection] = 0;
        try
        {
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

    private async Task ReceiveAsync(BinanceEmulatorConnection connection, CancellationToken cancellationToken)
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

            if (connection.Closing)
            {
                continue;
            }

            if (connection.OverBudget(DateTime.UtcNow, options.MaxIncomingMessagesPerSecond))
            {
                _ = connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Too many messages");
                continue;
            }

            string answer = BinanceControlMessages.Answer(connection, Encoding.UTF8.GetString(buffer, 0, length));
            if (!faults.Shared.Silent)
            {
                // A mute venue answers nothing either (the subscription still takes effect for when it speaks again).
                await connection.SendTextAsync(answer, cancellationToken);
            }
        }
    }
}
