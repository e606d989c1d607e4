using System.Text.Json;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// Answers a client's request as Kraken v2 does: <c>ping</c> with a pong; <c>subscribe</c> and <c>unsubscribe</c>
/// of <c>trade</c>, <c>ticker</c> and <c>book</c> with one ack per symbol (a subscribe followed by the channel's
/// snapshot where asked), or one error per symbol that is not a pair ("Currency pair not supported"), already
/// subscribed ("Already subscribed") or not subscribed ("Subscription Not Found"), each naming its symbol; a bad
/// depth, channel, method or JSON with one error for the request.
/// </summary>
internal sealed class KrakenControlMessages(KrakenEmulatorMarket market)
{
    private static readonly int[] s_depths = [10, 25, 100, 500, 1000];

    /// <summary>(channel, symbol, text) for every snapshot sent on subscribe, as the pump reports its messages.</summary>
    public event Action<string, string, string>? SentFrame;

    /// <summary>(symbol, tick) for every ticker snapshot sent.</summary>
    public event Action<string, MarketFeed.Model.Tick>? Sent;

    /// <summary>The frames to send back, in order (the connection's <see cref="KrakenEmulatorConnection.Sequence"/> is held by the caller).</summary>
    public List<string> Answer(KrakenEmulatorConnection connection, string text, DateTime received)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return [KrakenJson.Error(null, "Malformed request", null, null, received, DateTime.UtcNow)];
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            long? requestId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("req_id", out JsonElement id) && id.TryGetInt64(out long n) ? n : null;
            string? method = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            switch (method)
            {
                case "ping":
                    return [KrakenJson.Pong(requestId, received, DateTime.UtcNow)];
                case "subscribe" or "unsubscribe":
                    return Subscription(connection, root, method, requestId, received);
                default:
                    return [KrakenJson.Error(method, method is null ? "Malformed request" : "Method not supported", null, requestId, received, DateTime.UtcNow)];
            }
        }
    }

    private List<string> Subscription(KrakenEmulatorConnection connection, JsonElement root, string method, long? requestId, DateTime received)
    {
        bool subscribe = method == "subscribe";
        if (!root.TryGetProperty("params", out JsonElement p) || p.ValueKind != JsonValueKind.Object
            || !p.TryGetProperty("channel", out JsonElement c) || c.ValueKind != JsonValueKind.String)
        {
            return [KrakenJson.Error(method, "Malformed request", null, requestId, received, DateTime.UtcNow)];
        }

        string channel = c.GetString()!;
        if (channel is not (KrakenRequests.Trade or KrakenRequests.Ticker or KrakenRequests.Book))
        {
            return [KrakenJson.Error(method, $"Channel {channel} not supported", null, requestId, received, DateTime.UtcNow)];
        }

        int depth = 10;
        if (channel == KrakenRequests.Book && p.TryGetProperty("depth", out JsonElement d) && (!d.TryGetInt32(out depth) || !s_depths.Contains(depth)))
        {
            return [KrakenJson.Error(method, "Invalid depth", null, requestId, received, DateTime.UtcNow)];
        }

        if (!p.TryGetProperty("symbol", out JsonElement symbols) || symbols.ValueKind != JsonValueKind.Array || symbols.GetArrayLength() == 0
            || symbols.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            return [KrakenJson.Error(method, "Malformed request: symbol must be a non-empty array of strings", null, requestId, received, DateTime.UtcNow)];
        }

        bool snapshot = !p.TryGetProperty("snapshot", out JsonElement s) || s.ValueKind != JsonValueKind.False;
        var answers = new List<string>();
        foreach (string symbol in symbols.EnumerateArray().Select(e => e.GetString()!))
        {
            DateTime now = DateTime.UtcNow;
            if (!market.Knows(symbol))
            {
                answers.Add(KrakenJson.Error(method, $"Currency pair not supported {symbol}", symbol, requestId, received, now));
            }
            else if (!subscribe)
            {
                answers.Add(connection.Remove(channel, symbol)
                    ? KrakenJson.Ack(method, channel, symbol, channel == KrakenRequests.Book ? depth : null, requestId, received, now)
                    : KrakenJson.Error(method, "Subscription Not Found", symbol, requestId, received, now));
            }
            else if (!connection.Add(channel, symbol, depth))
            {
                answers.Add(KrakenJson.Error(method, "Already subscribed", symbol, requestId, received, now));
            }
            else
            {
                answers.Add(KrakenJson.Ack(method, channel, symbol, channel == KrakenRequests.Book ? depth : null, requestId, received, now));
                if (snapshot)
                {
                    answers.AddRange(Snapshot(connection, channel, symbol, now));
                }
            }
        }

        return answers;
    }

    private IEnumerable<string> Snapshot(KrakenEmulatorConnection connection, string channel, string symbol, DateTime now)
    {
        KrakenPairSpec spec = market.Spec(symbol)!;
        switch (channel)
        {
            case KrakenRequests.Ticker:
                (string json, MarketFeed.Model.Tick tick) = market.TickerSnapshot(symbol, now);
                SentFrame?.Invoke(channel, symbol, json);
                Sent?.Invoke(symbol, tick);
                yield return json;
                break;
            case KrakenRequests.Book:
                KrakenBookView view = connection.Book(symbol)!;
                (List<(long Price, long Quantity)> bids, List<(long Price, long Quantity)> asks) = market.Depth(symbol, view.Depth);
                string book = KrakenBookMessages.Snapshot(spec, view, bids, asks, now);
                SentFrame?.Invoke(channel, symbol, book);
                yield return book;
                break;
            default:
                // Kraken's trade snapshot is the last 50 trades; the emulator's market has them only as OHLC, so it sends none.
                yield return KrakenJson.Trades(spec, [], snapshot: true);
                break;
        }
    }
}
