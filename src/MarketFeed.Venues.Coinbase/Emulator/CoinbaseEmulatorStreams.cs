using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// The market-data WebSocket: accepts connections (503 while <c>refuse</c>, 401 while <c>auth</c>), reads each
/// client's subscribe and unsubscribe messages as Coinbase does — one <c>channel</c> per message, product ids required
/// except for <c>heartbeats</c>, unknown channels accepted silently — answers each with the <c>subscriptions</c>
/// message, starts every new (channel, product) with its snapshot (sent by the pump, in step with the market), refuses <c>reject=PRODUCT</c> products with an error
/// naming them, closes a connection that sends more than its message budget or subscribes to nothing within 5 s.
/// </summary>
internal sealed class CoinbaseEmulatorStreams(CoinbaseEmulatorOptions options, CoinbaseEmulatorMarket market, CoinbaseEmulatorFaults faults, Action rejected, Action sent)
{
    private static readonly HashSet<string> s_served = new([CoinbaseChannels.Trades, CoinbaseChannels.Ticker, CoinbaseChannels.Level2], StringComparer.Ordinal);
    private static readonly HashSet<string> s_known = new(["heartbeats", "ticker", "ticker_batch", "level2", "market_trades", "candles", "status", "user", "futures_balance_summary"], StringComparer.Ordinal);

    public ConcurrentDictionary<CoinbaseEmulatorConnection, byte> Connections { get; } = new();

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
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (faults.Shared.RefuseStream)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new CoinbaseEmulatorConnection(socket, DateTime.UtcNow, sent);
        connection.SkipGapsBefore(faults.SequenceGaps);
        Connections[connection] = 0;
        try
        {
            await ReceiveAsync(connection, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Connections.TryRemove(connection, out _);
        }
    }

    public int DropAll() => Connections.Keys.Count(c =>
    {
        c.Socket.Abort();
        return true;
    });

    private async Task ReceiveAsync(CoinbaseEmulatorConnection connection, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.SubscribeDeadline);
        deadline.Token.Register(() =>
        {
            if (!connection.Subscribed)
            {
                _ = connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "subscribe timeout");
            }
        });
        byte[] buffer = new byte[64 * 1024];
        while (connection.Socket.State == WebSocketState.Open)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await connection.Socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
                if (length == buffer.Length && !result.EndOfMessage)
                {
                    await connection.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big");
                    return;
                }
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                return;
            }

            if (connection.OverBudget(DateTime.UtcNow, options.MaxIncomingMessagesPerSecond))
            {
                await connection.SendTextAsync(CoinbaseJson.Error("too many requests: slow down"), cancellationToken);
                await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "rate limit exceeded");
                return;
            }

            await HandleAsync(connection, buffer.AsMemory(0, length), cancellationToken);
        }
    }

    private async Task HandleAsync(CoinbaseEmulatorConnection connection, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        string? type;
        string? channel;
        List<string>? products = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(message);
            JsonElement root = document.RootElement;
            type = root.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            channel = root.TryGetProperty("channel", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (root.TryGetProperty("product_ids", out JsonElement ids))
            {
                products = ids.ValueKind == JsonValueKind.Array && ids.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String)
                    ? [.. ids.EnumerateArray().Select(i => i.GetString()!)]
                    : null;
                if (products is null)
                {
                    await connection.SendTextAsync(CoinbaseJson.Error("product_ids must be a list of strings"), cancellationToken);
                    return;
                }
            }
        }
        catch (JsonException)
        {
            await connection.SendTextAsync(CoinbaseJson.Error("failed to parse message"), cancellationToken);
            return;
        }

        if (type is not ("subscribe" or "unsubscribe") || channel is null || !s_known.Contains(channel))
        {
            await connection.SendTextAsync(CoinbaseJson.Error($"unknown message type or channel: {type} {channel}"), cancellationToken);
            return;
        }

        if (channel != CoinbaseChannels.Heartbeats && type == "subscribe" && (products is null || products.Count == 0))
        {
            await connection.SendTextAsync(CoinbaseJson.Error($"{channel}: product_ids are required"), cancellationToken);
            return;
        }

        if (products?.FirstOrDefault(p => !market.Knows(p)) is { } unknown)
        {
            await connection.SendTextAsync(CoinbaseJson.Error($"Failed to subscribe: {unknown} is not a valid product"), cancellationToken);
            return;
        }

        if (type == "unsubscribe")
        {
            connection.Unsubscribe(channel, products);
            await SendSubscriptionsAsync(connection, cancellationToken);
            return;
        }

        List<string> refused = [.. (products ?? []).Where(faults.Rejects)];
        foreach (string product in refused)
        {
            await connection.SendTextAsync(CoinbaseJson.Error($"Failed to subscribe to {channel} for {product}: product is not available for trading"), cancellationToken);
        }

        List<string> added = connection.Subscribe(s_served.Contains(channel) || channel == CoinbaseChannels.Heartbeats ? channel : "other:" + channel,
            (products ?? []).Except(refused, StringComparer.Ordinal));
        await SendSubscriptionsAsync(connection, cancellationToken);
        foreach (string product in added)
        {
            connection.SnapshotDue(channel, product);
        }
    }

    private Task SendSubscriptionsAsync(CoinbaseEmulatorConnection connection, CancellationToken cancellationToken)
    {
        if (faults.Shared.Silent)
        {
            return Task.CompletedTask;
        }

        var channels = connection.Channels().Where(c => !c.Key.StartsWith("other:", StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value);
        return connection.SendNumberedAsync(sequence => CoinbaseJson.Envelope("subscriptions", DateTime.UtcNow, sequence, CoinbaseJson.Subscriptions(channels)), faults.SequenceGaps, cancellationToken);
    }
}
