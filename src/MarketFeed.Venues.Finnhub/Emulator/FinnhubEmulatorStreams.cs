using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// The socket endpoint, <c>/?token=…</c>: an unknown or missing token (or the <c>auth</c> fault) is refused with HTTP
/// 401 before the upgrade, <c>refuse</c> with 503. One live socket per token: a second one closes the older (or both,
/// see <see cref="FinnhubEmulatorOptions.SecondConnectionDropsBoth"/>). Subscribe and unsubscribe messages are applied
/// without any acknowledgement; a subscription past the symbol cap is answered with Finnhub's error and not applied;
/// anything unreadable is ignored, as Finnhub does.
/// </summary>
internal sealed class FinnhubEmulatorStreams(FinnhubEmulatorOptions options, FinnhubEmulatorFaults faults, Action rejected, Action sent)
{
    private const int MaxMessageBytes = 16 * 1024;
    private readonly ConcurrentDictionary<FinnhubEmulatorConnection, byte> _connections = new();
    private long _refused;

    public ICollection<FinnhubEmulatorConnection> Connections => _connections.Keys;

    /// <summary>Subscription messages refused over the cap.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Aborts every client socket at once, as a network failure would.</summary>
    public int DropAll() => Emulators.Hosting.EmulatorHost.AbortAll(_connections.Keys.Select(c => c.Socket));

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("Finnhub emulator: open a WebSocket on /?token=…");
            return;
        }

        string token = context.Request.Query["token"].ToString();
        if (faults.Shared.RejectAuth || token != options.Token)
        {
            rejected();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (faults.Shared.RefuseStream)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FinnhubEmulatorConnection(socket, token, DateTime.UtcNow, sent);
        foreach (FinnhubEmulatorConnection other in _connections.Keys.Where(c => c.Token == token))
        {
            // One connection per key: the older goes (or both, as some users saw).
            other.Socket.Abort();
            if (options.SecondConnectionDropsBoth)
            {
                socket.Abort();
            }
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

    private async Task ReceiveAsync(FinnhubEmulatorConnection connection, CancellationToken cancellationToken)
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
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", cancellationToken);
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

            if (Read(buffer.AsSpan(0, length)) is not ({ } type, { } symbol))
            {
                continue;
            }

            if (type == "unsubscribe")
            {
                connection.Unsubscribe(symbol);
            }
            else if (type == "subscribe" && !connection.TrySubscribe(symbol, faults.CapOr(options.MaxSymbols)))
            {
                Interlocked.Increment(ref _refused);
                if (!faults.Shared.Silent)
                {
                    await connection.SendTextAsync(FinnhubJson.TooManySymbols, cancellationToken);
                }
            }
        }
    }

    /// <summary>A control message's type and symbol; nulls for anything else (ignored, as Finnhub does).</summary>
    private static (string? Type, string? Symbol) Read(ReadOnlySpan<byte> message)
    {
        try
        {
            var reader = new Utf8JsonReader(message);
            string? type = null;
            string? symbol = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && name is "type" or "symbol")
                {
                    (type, symbol) = name == "type" ? (reader.GetString(), symbol) : (type, reader.GetString());
                }
                else
                {
                    reader.Skip();
                }
            }

            return string.IsNullOrEmpty(symbol) ? (null, null) : (type, symbol);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
