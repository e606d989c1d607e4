using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken's REST envelope, <c>{"error":[…],"result":{…}}</c> (errors come with HTTP 200, as <c>"EAPI:Rate limit exceeded"</c>
/// and the like), and the OHLC and Ticker answers. Prices are strings parsed into exact fixed point.
/// </summary>
internal static class KrakenRestJson
{
    public static JsonDocument Parse(byte[] json, string path)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Kraken {path}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Kraken's error texts, joined; empty when the list is empty or absent.</summary>
    public static string Errors(JsonDocument document) =>
        document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out JsonElement errors) && errors.ValueKind == JsonValueKind.Array
            ? string.Join("; ", errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()))
            : "";

    /// <summary>The <c>result</c> object; a filled error list throws <see cref="KrakenRestException"/>.</summary>
    public static JsonElement Result(JsonDocument document, string path)
    {
        string errors = Errors(document);
        if (errors.Length > 0)
        {
            throw new KrakenRestException(path, errors);
        }

        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("result", out JsonElement result)
            ? result
            : throw new FormatException($"Kraken {path}: no \"result\"");
    }

    /// <summary>
    /// <c>{"result":{"XXBTZUSD":[[time,"open","high","low","close","vwap","volume",count],…],"last":N}}</c>: bars of
    /// <paramref name="length"/>, oldest first. The last row is the bar still forming.
    /// </summary>
    public static List<Candle> ReadOhlc(byte[] json, string pair, TimeSpan length)
    {
        using JsonDocument document = Parse(json, "/0/public/OHLC");
        JsonElement result = Result(document, "/0/public/OHLC");
        if (!result.TryGetProperty(pair, out JsonElement rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"Kraken /0/public/OHLC: no rows for {pair}");
        }

        var candles = new List<Candle>(rows.GetArrayLength());
        foreach (JsonElement row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 8 || row[0].ValueKind != JsonValueKind.Number || !row[0].TryGetInt64(out long seconds))
            {
                throw new FormatException("Kraken /0/public/OHLC: a row is not [time, open, high, low, close, vwap, volume, count]");
            }

            if (seconds < 0 || row[7].ValueKind != JsonValueKind.Number || !row[7].TryGetInt32(out int trades))
            {
                throw new FormatException("Kraken /0/public/OHLC: a row's time or trade count is not a number");
            }

            DateTime start = DateTime.UnixEpoch.AddSeconds(seconds);
            candles.Add(new Candle(start, start + length, Fixed(row[1]), Fixed(row[2]), Fixed(row[3]), Fixed(row[4]), Quantity.FromRaw(Fixed(row[6]).Raw), trades,
                CandleFlags.Closed | CandleFlags.History));
        }

        return candles;
    }

    /// <summary><c>{"result":{"XXBTZUSD":{"a":[price,whole,lot],"b":[…],"c":[price,lot],…}}}</c>: bid, ask and last trade per REST pair.</summary>
    public static Dictionary<string, (Price Bid, Quantity BidQty, Price Ask, Quantity AskQty, Price Last)> ReadTickers(byte[] json)
    {
        using JsonDocument document = Parse(json, "/0/public/Ticker");
        JsonElement result = Result(document, "/0/public/Ticker");
        var tickers = new Dictionary<string, (Price, Quantity, Price, Quantity, Price)>(StringComparer.Ordinal);
        try
        {
            foreach (JsonProperty pair in result.EnumerateObject())
            {
                JsonElement t = pair.Value;
                tickers[pair.Name] = (Fixed(t.GetProperty("b")[0]), Quantity.FromRaw(Fixed(t.GetProperty("b")[2]).Raw),
                    Fixed(t.GetProperty("a")[0]), Quantity.FromRaw(Fixed(t.GetProperty("a")[2]).Raw), Fixed(t.GetProperty("c")[0]));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new FormatException("Kraken /0/public/Ticker: an entry lacks a, b or c", e);
        }

        return tickers;
    }

    private static Price Fixed(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && FixedPoint.TryParseUtf8(Encoding.UTF8.GetBytes(value.GetString()!), out long raw)
            ? Price.FromRaw(raw)
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Kraken REST: '{value}' is not an exact decimal"));
}
