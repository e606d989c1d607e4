using System.Buffers.Text;
using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Decodes Finnhub's WebSocket frames straight from the UTF-8 bytes in one <see cref="Utf8JsonReader"/> pass.
/// <c>{"data":[{"c":[…],"p":7296.89,"s":"BINANCE:BTCUSDT","t":1575526691134,"v":0.011467},…],"type":"trade"}</c>
/// holds one or more trades, possibly of several symbols; each of a known symbol becomes a <see cref="TickFields.Trade"/>
/// tick, its price and volume parsed from the JSON number's text into exact fixed point (never through a double).
/// A volume of 0 is a price update without a trade (most forex): no quantity, not counted as a trade. Keys may come in
/// any order (Finnhub sends them sorted, so <c>data</c> precedes <c>type</c>): trades are decoded as read and dropped
/// again if the frame turns out not to be a well-formed trade message. Nothing allocates for trades and pings; a frame
/// that is not valid JSON, lacks a trade's <c>s</c>, <c>p</c>, <c>t</c> or <c>v</c>, repeats one, has one of the wrong
/// type, a price that is not positive or a number with more than 8 decimals is <see cref="FinnhubFrameKind.Malformed"/>
/// and produces no tick.
/// </summary>
internal static class FinnhubDecoder
{
    private const long MaxUnixMs = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    private const int MaxEscapedBytes = FinnhubSymbolMap.MaxSymbolBytes;
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 16 };

    [Flags]
    private enum Seen
    {
        None = 0,
        Symbol = 1,
        Price = 2,
        Time = 4,
        Volume = 8,
        Conditions = 16,
        Required = Symbol | Price | Time | Volume,
    }

    private enum MessageType
    {
        None,
        Trade,
        Ping,
        Error,
        Ignored,
        Other,
    }

    public static FinnhubFrame Decode(ReadOnlySpan<byte> frame, FinnhubSymbolMap symbols, DateTime receivedUtc, StreamEvents events)
    {
        int first = events.Ticks.Count;
        FinnhubFrame result;
        try
        {
            result = Read(frame, symbols, receivedUtc, events);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Invalid or cut-short JSON throws; so do escapes of half a surrogate pair when a string is compared or read.
            result = FinnhubFrame.Malformed;
        }

        if (result.Kind != FinnhubFrameKind.Trade && events.Ticks.Count > first)
        {
            events.Ticks.RemoveRange(first, events.Ticks.Count - first);
        }

        return result;
    }

    /// <summary>
    /// A JSON number's text as exact raw fixed point: plain decimals directly, exponent forms (Go writes 1e-07) through
    /// decimal. False for negatives, non-numbers and values with more than 8 decimals.
    /// </summary>
    public static bool TryNumber(ref Utf8JsonReader reader, out long raw)
    {
        raw = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        ReadOnlySpan<byte> text = reader.ValueSpan;
        if (FixedPoint.TryParseUtf8(text, out raw))
        {
            return true;
        }

        if (text.IndexOfAny((byte)'e', (byte)'E') < 0 || !Utf8Parser.TryParse(text, out decimal value, out int consumed, 'E') || consumed != text.Length || value < 0)
        {
            return false;
        }

        try
        {
            decimal scaled = value * FixedPoint.Factor;
            if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue)
            {
                return false;
            }

            raw = (long)scaled;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Unix milliseconds (UTC) as a time.</summary>
    public static DateTime Time(long unixMs) => DateTime.UnixEpoch.AddTicks(unixMs * TimeSpan.TicksPerMillisecond);

    private static FinnhubFrame Read(ReadOnlySpan<byte> frame, FinnhubSymbolMap symbols, DateTime receivedUtc, StreamEvents events)
    {
        var reader = new Utf8JsonReader(frame, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return FinnhubFrame.Malformed;
        }

        MessageType type = MessageType.None;
        bool hasData = false;
        bool dataAreTrades = false;
        int trades = 0;
        int unknown = 0;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                if (type != MessageType.None || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return FinnhubFrame.Malformed;
                }

                type = reader.ValueTextEquals("trade"u8) ? MessageType.Trade
                    : reader.ValueTextEquals("ping"u8) ? MessageType.Ping
                    : reader.ValueTextEquals("error"u8) ? MessageType.Error
                    : reader.ValueTextEquals("news"u8) || reader.ValueTextEquals("pr"u8) ? MessageType.Ignored
                    : MessageType.Other;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                if (hasData || !reader.Read())
                {
                    return FinnhubFrame.Malformed;
                }

                hasData = true;
                dataAreTrades = ReadTrades(ref reader, symbols, receivedUtc, events, ref trades, ref unknown);
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The object must end here, and nothing may follow it (the reader throws on trailing text).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return FinnhubFrame.Malformed;
        }

        return type switch
        {
            MessageType.Trade when hasData && dataAreTrades && trades > 0 => new FinnhubFrame(FinnhubFrameKind.Trade, trades, unknown),
            MessageType.Ping => new FinnhubFrame(FinnhubFrameKind.Ping),
            MessageType.Error when message is not null => new FinnhubFrame(FinnhubFrameKind.Error, Message: message),
            MessageType.Ignored => new FinnhubFrame(FinnhubFrameKind.Ignored),
            MessageType.Other => new FinnhubFrame(FinnhubFrameKind.UnknownType),
            _ => FinnhubFrame.Malformed,
        };
    }

    /// <summary>
    /// The <c>data</c> value (the reader on its first token) read as trades, left on its last token. False — with the
    /// rest skipped — when it is not an array of well-formed trades (news and press releases are not).
    /// </summary>
    private static bool ReadTrades(ref Utf8JsonReader reader, FinnhubSymbolMap symbols, DateTime receivedUtc, StreamEvents events, ref int trades, ref int unknown)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                SkipRest(ref reader);
                return false;
            }

            Utf8JsonReader element = reader;
            if (!ReadTrade(ref element, symbols, receivedUtc, events, ref unknown))
            {
                reader.Skip();
                SkipRest(ref reader);
                return false;
            }

            reader = element;
            trades++;
        }

        return true;
    }

    private static void SkipRest(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }
    }

    /// <summary>One trade object (the reader on its start), left on its end; its tick added when the symbol is known.</summary>
    private static bool ReadTrade(ref Utf8JsonReader reader, FinnhubSymbolMap symbols, DateTime receivedUtc, StreamEvents events, ref int unknown)
    {
        Seen seen = Seen.None;
        long price = 0;
        long volume = 0;
        long timeMs = 0;
        bool known = false;
        InstrumentId instrument = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            byte name = reader.ValueSpan.Length == 1 && !reader.ValueIsEscaped ? reader.ValueSpan[0] : (byte)0;
            if (!reader.Read())
            {
                return false;
            }

            Seen field = name switch
            {
                (byte)'s' => Seen.Symbol,
                (byte)'p' => Seen.Price,
                (byte)'t' => Seen.Time,
                (byte)'v' => Seen.Volume,
                (byte)'c' => Seen.Conditions,
                _ => Seen.None,
            };
            if ((seen & field) != 0)
            {
                return false;
            }

            seen |= field;
            bool ok = field switch
            {
                Seen.Symbol => ReadSymbol(ref reader, symbols, out known, out instrument),
                Seen.Price => TryNumber(ref reader, out price) && price > 0,
                Seen.Time => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out timeMs) && timeMs > 0 && timeMs <= MaxUnixMs,
                Seen.Volume => TryNumber(ref reader, out volume),
                Seen.Conditions => reader.TokenType is JsonTokenType.StartArray or JsonTokenType.Null && reader.TrySkip(),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || (seen & Seen.Required) != Seen.Required)
        {
            return false;
        }

        if (!known)
        {
            unknown++;
            return true;
        }

        // Volume 0: a price update, not a print (forex brokers, some crypto venues).
        events.Ticks.Add(new Tick(instrument)
        {
            Updates = TickFields.Trade,
            Ltp = Price.FromRaw(price),
            Ltq = volume > 0 ? Quantity.FromRaw(volume) : Quantity.None,
            ExchangeTime = Time(timeMs),
            ReceiveTime = receivedUtc,
            Flags = volume > 0 ? TickFlags.Trade : TickFlags.None,
            Mode = FeedMode.Ltp,
            Source = TickSource.Stream,
        });
        return true;
    }

    private static bool ReadSymbol(ref Utf8JsonReader reader, FinnhubSymbolMap symbols, out bool known, out InstrumentId instrument)
    {
        known = false;
        instrument = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            known = symbols.TryGet(reader.ValueSpan, out instrument);
            return true;
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedBytes];
        known = reader.ValueSpan.Length <= MaxEscapedBytes && symbols.TryGet(unescaped[..reader.CopyString(unescaped)], out instrument);
        return true;
    }
}
