using System.Text;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase REST response bodies into our types. Decimals are parsed from their strings exactly, as on the stream; an
/// unexpected shape throws <see cref="FormatException"/> naming the endpoint.
/// </summary>
internal static class CoinbaseRestJson
{
    private const string CandlesPath = "/api/v3/brokerage/market/products/{product_id}/candles";
    private const string TickerPath = "/api/v3/brokerage/market/products/{product_id}/ticker";

    /// <summary><c>{"candles":[{"start":"1712192400","low","high","open","close","volume"}…]}</c> (newest first) as closed history candles of <paramref name="length"/>.</summary>
    public static List<Candle> ReadCandles(byte[] json, TimeSpan length)
    {
        var candles = new List<Candle>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("candles", out JsonElement rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw Bad(CandlesPath);
            }

            foreach (JsonElement row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object || Property(row, "start", CandlesPath) is not { ValueKind: JsonValueKind.String } start
                    || !long.TryParse(start.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
                    || seconds > 253_402_300_799)
                {
                    throw Bad(CandlesPath);
                }

                DateTime open = DateTime.UnixEpoch.AddSeconds(seconds);
                candles.Add(new Candle(
                    open, open + length,
                    Price.FromRaw(Fixed(Property(row, "open", CandlesPath), CandlesPath)), Price.FromRaw(Fixed(Property(row, "high", CandlesPath), CandlesPath)),
                    Price.FromRaw(Fixed(Property(row, "low", CandlesPath), CandlesPath)), Price.FromRaw(Fixed(Property(row, "close", CandlesPath), CandlesPath)),
                    Quantity.FromRaw(Fixed(Property(row, "volume", CandlesPath), CandlesPath)), 0, CandleFlags.Closed | CandleFlags.History));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Bad(CandlesPath, e);
        }

        return candles;
    }

    /// <summary>
    /// <c>{"trades":[{"price",…}],"best_bid":"…","best_ask":"…"}</c>: the last trade's price (raw, 0 when none) and the
    /// best bid and ask (raw, 0 for an empty side).
    /// </summary>
    public static (long Last, long Bid, long Ask) ReadTicker(byte[] json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Property(root, "trades", TickerPath) is not { ValueKind: JsonValueKind.Array } trades)
            {
                throw Bad(TickerPath);
            }

            long last = trades.GetArrayLength() > 0 ? Fixed(Property(trades[0], "price", TickerPath), TickerPath) : 0;
            return (last, Side(root, "best_bid"), Side(root, "best_ask"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Bad(TickerPath, e);
        }
    }

    /// <summary>A JSON string holding an exact unsigned decimal, as raw fixed point.</summary>
    public static long Fixed(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Bad(path);
        }

        string text = value.GetString()!;
        Span<byte> utf8 = stackalloc byte[64];
        return Encoding.UTF8.GetByteCount(text) <= utf8.Length && FixedPoint.TryParseUtf8(utf8[..Encoding.UTF8.GetBytes(text, utf8)], out long raw)
            ? raw
            : throw Bad(path);
    }

    /// <summary>Coinbase's error body, <c>{"error":"NOT_FOUND","message":"…"}</c>, as one line; empty when it is not one.</summary>
    public static string ErrorText(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String)
            {
                return root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.String ? $"{error.GetString()} {message.GetString()}" : message.GetString()!;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not Coinbase's error shape (a proxy's page, say): the status alone must do.
        }

        return "";
    }

    /// <summary>An empty side comes as "" or is left out.</summary>
    private static long Side(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && !(value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0) ? Fixed(value, TickerPath) : 0;

    private static JsonElement Property(JsonElement o, string name, string path) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out JsonElement value) ? value : throw Bad(path);

    private static FormatException Bad(string path, Exception? inner = null) => new($"Coinbase REST {path}: the response is not in the documented shape", inner);
}
