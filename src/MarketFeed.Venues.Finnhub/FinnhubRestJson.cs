using System.Text;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub's REST answers: <c>/quote</c> (<c>{"c","d","dp","h","l","o","pc","t"}</c>, numbers, <c>t</c> in Unix seconds)
/// and the candle endpoints (parallel arrays <c>o,h,l,c,v,t</c> with <c>s</c> = <c>ok</c> or <c>no_data</c>). Numbers
/// are read from their JSON text into exact fixed point. Anything else is a <see cref="FormatException"/>.
/// </summary>
internal static class FinnhubRestJson
{
    /// <summary>A quote: last, day open, high, low, previous close (raw) and its time; null for a symbol Finnhub does not know (<c>c</c> of 0).</summary>
    public static (long Last, long Open, long High, long Low, long PreviousClose, DateTime Time)? ReadQuote(byte[] json)
    {
        const string Path = "/quote";
        var reader = new Utf8JsonReader(json);
        long c = 0, o = 0, h = 0, l = 0, pc = 0, t = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Bad(Path);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "c": c = Number(ref reader, Path); break;
                    case "o": o = Number(ref reader, Path); break;
                    case "h": h = Number(ref reader, Path); break;
                    case "l": l = Number(ref reader, Path); break;
                    case "pc": pc = Number(ref reader, Path); break;
                    case "t":
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out t) || t < 0)
                        {
                            throw Bad(Path);
                        }

                        break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException e)
        {
            throw Bad(Path, e);
        }

        return c == 0 ? null : (c, o, h, l, pc, t == 0 ? default : DateTime.UnixEpoch.AddSeconds(t));
    }

    /// <summary>A candle answer as closed bars of <paramref name="length"/>; empty for <c>no_data</c>.</summary>
    public static List<Candle> ReadCandles(byte[] json, TimeSpan length, string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("s", out JsonElement status) || status.ValueKind != JsonValueKind.String)
            {
                throw Bad(path);
            }

            if (status.GetString() == "no_data")
            {
                return [];
            }

            JsonElement[] columns = [.. new[] { "t", "o", "h", "l", "c", "v" }.Select(n => root.TryGetProperty(n, out JsonElement a) && a.ValueKind == JsonValueKind.Array ? a : throw Bad(path))];
            int count = columns[0].GetArrayLength();
            if (status.GetString() != "ok" || columns.Any(a => a.GetArrayLength() != count))
            {
                throw Bad(path);
            }

            var candles = new List<Candle>(count);
            for (int i = 0; i < count; i++)
            {
                if (!columns[0][i].TryGetInt64(out long seconds) || seconds < 0)
                {
                    throw Bad(path);
                }

                DateTime start = DateTime.UnixEpoch.AddSeconds(seconds);
                candles.Add(new Candle(start, start + length,
                    Price.FromRaw(Number(columns[1][i], path)), Price.FromRaw(Number(columns[2][i], path)), Price.FromRaw(Number(columns[3][i], path)),
                    Price.FromRaw(Number(columns[4][i], path)), Quantity.FromRaw(Number(columns[5][i], path)), 0, CandleFlags.Closed | CandleFlags.History));
            }

            return candles;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Bad(path, e);
        }
    }

    /// <summary>An error body's text (<c>{"error":"…"}</c> or plain text), for messages; empty when there is none.</summary>
    public static string ErrorText(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
        }

        string text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).Trim();
        return text.StartsWith('<') ? "" : text;
    }

    private static long Number(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        return FinnhubDecoder.TryNumber(ref reader, out long raw) ? raw : throw Bad(path);
    }

    private static long Number(JsonElement value, string path)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(value.GetRawText()));
        reader.Read();
        return FinnhubDecoder.TryNumber(ref reader, out long raw) ? raw : throw Bad(path);
    }

    private static FormatException Bad(string path, Exception? inner = null) => new($"Finnhub REST {path}: unexpected answer", inner);
}
