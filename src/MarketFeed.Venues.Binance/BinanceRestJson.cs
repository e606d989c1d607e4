using System.Text;
using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance REST response bodies into our types. Decimals are parsed from their strings exactly, as
/// on the stream; an unexpected shape throws <see cref="FormatException"/> naming the endpoint.
/// </summary>
internal static class BinanceRestJson
{
    /// <summary><c>/api/v3/depth</c>: <c>{"lastUpdateId":N,"bids":[["px","qty"]…],"asks":[…]}</c> into <paramref name="book"/>.</summary>
    public static long ReadDepth(ReadOnlySpan<byte> json, BookUpdate book)
    {
        long lastUpdateId = -1;
        bool bids = false;
        bool asks = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Bad("/api/v3/depth");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("lastUpdateId"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out lastUpdateId))
                    {
                        throw Bad("/api/v3/depth");
                    }
                }
                else if (reader.ValueTextEquals("bids"u8) || reader.ValueTextEquals("asks"u8))
                {
                    bool isBids = reader.ValueTextEquals("bids"u8);
                    if (!reader.Read() || !BinanceDecoder.ReadLevels(ref reader, book, isBids))
                    {
                        throw Bad("/api/v3/depth");
                    }

                    (bids, asks) = (bids || isBids, asks || !isBids);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw Bad("/api/v3/depth", e);
        }

        return lastUpdateId >= 0 && bids && asks ? lastUpdateId : throw Bad("/api/v3/depth");
    }

    /// <summary>
    /// <c>/api/v3/klines</c> rows <c>[openTime,"o","h","l","c","v",closeTime,"qv",trades,…]</c> as closed history
    /// candles of <paramref name="length"/> starting at their open time (UTC).
    /// </summary>
    public static List<Candle> ReadKlines(byte[] json, TimeSpan length)
    {
        var candles = new List<Candle>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            foreach (JsonElement row in Array(document.RootElement, "/api/v3/klines"))
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 9 || !row[0].TryGetInt64(out long openMs) || openMs < 0 || !row[8].TryGetInt32(out int trades))
                {
                    throw Bad("/api/v3/klines");
                }

                DateTime start = BinanceDecoder.Time(openMs);
                candles.Add(new Candle(
                    start, start + length,
                    Price.FromRaw(Fixed(row[1], "/api/v3/klines")), Price.FromRaw(Fixed(row[2], "/api/v3/klines")),
                    Price.FromRaw(Fixed(row[3], "/api/v3/klines")), Price.FromRaw(Fixed(row[4], "/api/v3/klines")),
                    Quantity.FromRaw(Fixed(row[5], "/api/v3/klines")), trades, CandleFlags.Closed | CandleFlags.History));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Bad("/api/v3/klines", e);
        }

        return candles;
    }

    /// <summary><c>/api/v3/ticker/bookTicker</c> (one object or an array) by symbol: best bid, bid size, best ask, ask size (raw).</summary>
    public static Dictionary<string, (long Bid, long BidQty, long Ask, long AskQty)> ReadBookTickers(byte[] json)
    {
        const string Path = "/api/v3/ticker/bookTicker";
        var quotes = new Dictionary<string, (long, long, long, long)>(StringComparer.Ordinal);
        ForEachObject(json, Path, o => quotes[Symbol(o, Path)] =
            (Fixed(Property(o, "bidPrice", Path), Path), Fixed(Property(o, "bidQty", Path), Path), Fixed(Property(o, "askPrice", Path), Path), Fixed(Property(o, "askQty", Path), Path)));
        return quotes;
    }

    /// <summary><c>/api/v3/ticker/price</c> (one object or an array) by symbol (raw).</summary>
    public static Dictionary<string, long> ReadPrices(byte[] json)
    {
        const string Path = "/api/v3/ticker/price";
        var prices = new Dictionary<string, long>(StringComparer.Ordinal);
        ForEachObject(json, Path, o => prices[Symbol(o, Path)] = Fixed(Property(o, "price", Path), Path));
        return prices;
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

    /// <summary>The error body Binance sends with a failed request, <c>{"code":-1121,"msg":"Invalid symbol."}</c>, as one line.</summary>
    public static string ErrorText(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("msg", out JsonElement msg) && msg.ValueKind == JsonValueKind.String)
            {
                return root.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.Number ? $"{code.GetRawText()} {msg.GetString()}" : msg.GetString()!;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not Binance's error shape (a proxy's page, say): the status alone must do.
        }

        return "";
    }

    private static void ForEachObject(byte[] json, string path, Action<JsonElement> read)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                read(root);
                return;
            }

            foreach (JsonElement item in Array(root, path))
            {
                read(item.ValueKind == JsonValueKind.Object ? item : throw Bad(path));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw Bad(path, e);
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement root, string path) =>
        root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : throw Bad(path);

    private static JsonElement Property(JsonElement o, string name, string path) =>
        o.TryGetProperty(name, out JsonElement value) ? value : throw Bad(path);

    private static string Symbol(JsonElement o, string path) =>
        Property(o, "symbol", path) is { ValueKind: JsonValueKind.String } symbol ? symbol.GetString()! : throw Bad(path);

    private static FormatException Bad(string path, Exception? inner = null) => new($"Binance REST {path}: the response is not in the documented shape", inner);
}
