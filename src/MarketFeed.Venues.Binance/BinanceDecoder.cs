using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Decodes Binance Spot combined-stream frames, <c>{"stream":"btcusdt@trade","data":{…}}</c>, straight from the UTF-8
/// bytes: one <see cref="Utf8JsonReader"/> pass, prices and quantities parsed from their strings into exact fixed
/// point, the symbol resolved from its bytes. A trade becomes a <see cref="TickFields.Trade"/> tick ordered by trade
/// id, a <c>bookTicker</c> a <see cref="TickFields.TopOfBook"/> tick ordered by update id, a <c>depthUpdate</c> a
/// pooled <see cref="BookUpdate"/> diff with Binance's <c>U</c>/<c>u</c> continuity. Control replies, errors and
/// <c>serverShutdown</c> are classified for the protocol. Nothing here allocates for market data; a frame that is
/// not valid JSON, has a field of the wrong type or a number that is not exact, or lacks a required field is
/// <see cref="BinanceFrameKind.Malformed"/> and produces no event.
/// </summary>
internal static class BinanceDecoder
{
    private const long MaxUnixMs = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    private const int MaxEscapedBytes = 64;
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 16 };

    public static BinanceFrame Decode(ReadOnlySpan<byte> frame, BinanceSymbolMap symbols, DateTime receivedUtc, StreamEvents events)
    {
        var ev = default(BinanceEvent);
        BinanceFrame result;
        try
        {
            result = Read(frame, symbols, ref ev);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Invalid or cut-short JSON throws; so do escapes of half a surrogate pair when a string is compared or read.
            result = BinanceFrame.Malformed;
        }

        switch (result.Kind)
        {
            case BinanceFrameKind.Trade:
                events.Ticks.Add(new Tick(ev.Instrument)
                {
                    Updates = TickFields.Trade,
                    Ltp = Price.FromRaw(ev.Price),
                    Ltq = Quantity.FromRaw(ev.Quantity),
                    ExchangeTime = Time(ev.TradeTimeMs),
                    ReceiveTime = receivedUtc,
                    VenueSequence = ev.TradeId,
                    Flags = TickFlags.Trade,
                    Mode = FeedMode.Full,
                    Source = TickSource.Stream,
                });
                break;
            case BinanceFrameKind.BookTicker:
                var quote = new Tick(ev.Instrument)
                {
                    Updates = TickFields.TopOfBook,
                    ReceiveTime = receivedUtc,
                    VenueSequence = ev.UpdateId,
                    Mode = FeedMode.Quote,
                    Source = TickSource.Stream,
                };

                // An empty side comes as price 0: no bid (or offer), not a price of 0.
                if (ev.BidPrice != 0)
                {
                    (quote.Bid, quote.BidQty) = (Price.FromRaw(ev.BidPrice), Quantity.FromRaw(ev.BidQuantity));
                }

                if (ev.AskPrice != 0)
                {
                    (quote.Ask, quote.AskQty) = (Price.FromRaw(ev.AskPrice), Quantity.FromRaw(ev.AskQuantity));
                }

                events.Ticks.Add(quote);
                break;
            case BinanceFrameKind.DepthUpdate:
                BookUpdate book = ev.Book!;
                book.Instrument = ev.Instrument;
                book.IsSnapshot = false;
                book.FirstUpdateId = ev.FirstUpdateId;
                book.LastUpdateId = ev.UpdateId;
                book.ExchangeTime = Time(ev.EventTimeMs);
                book.ReceiveTime = receivedUtc;
                book.Source = TickSource.Stream;
                book.Continuity = UpdateIdContinuity.Instance;
                events.Books.Add(book);
                return result;
        }

        if (ev.Book is not null)
        {
            BookUpdate.Return(ev.Book);
        }

        return result;
    }

    /// <summary>
    /// Reads a level array <c>[["price","qty"],…]</c> (the reader on its start) into <paramref name="book"/>. A quantity
    /// of 0 is kept: it removes the level when applied. False on anything but pairs of exact unsigned decimals.
    /// </summary>
    public static bool ReadLevels(ref Utf8JsonReader reader, BookUpdate book, bool bids)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray
                || !reader.Read() || !TryFixed(ref reader, out long price)
                || !reader.Read() || !TryFixed(ref reader, out long quantity)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            if (bids)
            {
                book.AddBid(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
            else
            {
                book.AddAsk(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
        }

        return true;
    }

    /// <summary>A JSON string holding an exact unsigned decimal, as raw fixed point.</summary>
    public static bool TryFixed(ref Utf8JsonReader reader, out long raw)
    {
        raw = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            return FixedPoint.TryParseUtf8(reader.ValueSpan, out raw);
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedBytes];
        return reader.ValueSpan.Length <= MaxEscapedBytes
            && FixedPoint.TryParseUtf8(unescaped[..reader.CopyString(unescaped)], out raw);
    }

    /// <summary>Unix milliseconds (UTC) as a time; 0 stays "none".</summary>
    public static DateTime Time(long unixMs) => unixMs == 0 ? default : DateTime.UnixEpoch.AddTicks(unixMs * TimeSpan.TicksPerMillisecond);

    private static BinanceFrame Read(ReadOnlySpan<byte> frame, BinanceSymbolMap symbols, ref BinanceEvent ev)
    {
        var reader = new Utf8JsonReader(frame, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return BinanceFrame.Malformed;
        }

        bool isReply = false;
        bool isError = false;
        long id = 0;
        int code = 0;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                if (!reader.Read() || !ReadPayload(ref reader, symbols, ref ev))
                {
                    return BinanceFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return BinanceFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                isReply = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                // Ours are numbers; Binance also allows strings and null.
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number ? !reader.TryGetInt64(out id) : reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return BinanceFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                isError = true;
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out code))
                {
                    return BinanceFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (!ReadField(ref reader, symbols, ref ev))
            {
                // Not a wrapper field: a raw (unwrapped) payload's field, read the same way.
                return BinanceFrame.Malformed;
            }
        }

        // The object must end here, and nothing may follow it (the reader throws on trailing text).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return BinanceFrame.Malformed;
        }

        return isError ? new BinanceFrame(BinanceFrameKind.ControlError, id, code, message)
            : isReply ? new BinanceFrame(BinanceFrameKind.ControlAck, id)
            : Classify(ref ev);
    }

    private static BinanceFrame Classify(ref BinanceEvent ev)
    {
        (BinanceFrameKind kind, BinanceEvent.Seen required) = ev.Type switch
        {
            BinanceEventType.Trade => (BinanceFrameKind.Trade, BinanceEvent.Seen.TradeFields),
            BinanceEventType.DepthUpdate => (BinanceFrameKind.DepthUpdate, BinanceEvent.Seen.DepthFields),
            BinanceEventType.None => (BinanceFrameKind.BookTicker, BinanceEvent.Seen.BookTickerFields),
            BinanceEventType.ServerShutdown => (BinanceFrameKind.ServerShutdown, BinanceEvent.Seen.None),
            _ => (BinanceFrameKind.UnknownEvent, BinanceEvent.Seen.None),
        };
        if (!ev.Has(required) || (kind == BinanceFrameKind.DepthUpdate && ev.FirstUpdateId > ev.UpdateId))
        {
            return BinanceFrame.Malformed;
        }

        if (kind is BinanceFrameKind.Trade or BinanceFrameKind.BookTicker or BinanceFrameKind.DepthUpdate && !ev.SymbolKnown)
        {
            return new BinanceFrame(BinanceFrameKind.UnknownSymbol);
        }

        return new BinanceFrame(kind, Time: Time(ev.EventTimeMs));
    }

    /// <summary>Reads a payload object (the reader on its start) field by field.</summary>
    private static bool ReadPayload(ref Utf8JsonReader reader, BinanceSymbolMap symbols, ref BinanceEvent ev)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!ReadField(ref reader, symbols, ref ev))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>
    /// One payload field (the reader on its name), left on its value's last token. Binance names fields with one
    /// letter, case-sensitive; other names are skipped. False when a known field has the wrong type or value.
    /// </summary>
    private static bool ReadField(ref Utf8JsonReader reader, BinanceSymbolMap symbols, ref BinanceEvent ev)
    {
        byte name = reader.ValueSpan.Length == 1 && !reader.ValueIsEscaped ? reader.ValueSpan[0] : (byte)0;
        if (!reader.Read())
        {
            return false;
        }

        switch (name)
        {
            case (byte)'e':
                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                ev.Type = reader.ValueTextEquals("trade"u8) ? BinanceEventType.Trade
                    : reader.ValueTextEquals("depthUpdate"u8) ? BinanceEventType.DepthUpdate
                    : reader.ValueTextEquals("serverShutdown"u8) ? BinanceEventType.ServerShutdown
                    : BinanceEventType.Other;
                return true;
            case (byte)'s':
                return ReadSymbol(ref reader, symbols, ref ev);
            case (byte)'E':
                return Timestamp(ref reader, ref ev.EventTimeMs, ref ev, BinanceEvent.Seen.EventTime);
            case (byte)'T':
                return Timestamp(ref reader, ref ev.TradeTimeMs, ref ev, BinanceEvent.Seen.TradeTime);
            case (byte)'t':
                return Id(ref reader, ref ev.TradeId, ref ev, BinanceEvent.Seen.TradeId);
            case (byte)'U':
                return Id(ref reader, ref ev.FirstUpdateId, ref ev, BinanceEvent.Seen.FirstUpdateId);
            case (byte)'u':
                return Id(ref reader, ref ev.UpdateId, ref ev, BinanceEvent.Seen.UpdateId);
            case (byte)'p':
                return Fixed(ref reader, ref ev.Price, ref ev, BinanceEvent.Seen.Price);
            case (byte)'q':
                return Fixed(ref reader, ref ev.Quantity, ref ev, BinanceEvent.Seen.Quantity);
            case (byte)'B':
                return Fixed(ref reader, ref ev.BidQuantity, ref ev, BinanceEvent.Seen.BidQuantity);
            case (byte)'A':
                return Fixed(ref reader, ref ev.AskQuantity, ref ev, BinanceEvent.Seen.AskQuantity);
            case (byte)'b':
                // bookTicker: best bid price (a string); depthUpdate: bid levels (an array); other events: anything.
                return reader.TokenType switch
                {
                    JsonTokenType.String => Fixed(ref reader, ref ev.BidPrice, ref ev, BinanceEvent.Seen.BidPrice),
                    JsonTokenType.StartArray => Levels(ref reader, ref ev, bids: true),
                    _ => reader.TrySkip(),
                };
            case (byte)'a':
                return reader.TokenType switch
                {
                    JsonTokenType.String => Fixed(ref reader, ref ev.AskPrice, ref ev, BinanceEvent.Seen.AskPrice),
                    JsonTokenType.StartArray => Levels(ref reader, ref ev, bids: false),
                    _ => reader.TrySkip(),
                };
            default:
                reader.Skip();
                return true;
        }
    }

    private static bool ReadSymbol(ref Utf8JsonReader reader, BinanceSymbolMap symbols, ref BinanceEvent ev)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        ev.Fields |= BinanceEvent.Seen.Symbol;
        if (!reader.ValueIsEscaped)
        {
            ev.SymbolKnown = symbols.TryGet(reader.ValueSpan, out ev.Instrument);
            return true;
        }

        Span<byte> unescaped = stackalloc byte[MaxEscapedBytes];
        ev.SymbolKnown = reader.ValueSpan.Length <= MaxEscapedBytes && symbols.TryGet(unescaped[..reader.CopyString(unescaped)], out ev.Instrument);
        return true;
    }

    private static bool Levels(ref Utf8JsonReader reader, ref BinanceEvent ev, bool bids)
    {
        BinanceEvent.Seen side = bids ? BinanceEvent.Seen.Bids : BinanceEvent.Seen.Asks;
        if (ev.Has(side))
        {
            return false;
        }

        ev.Fields |= side;
        ev.Book ??= BookUpdate.Rent();
        return ReadLevels(ref reader, ev.Book, bids);
    }

    private static bool Fixed(ref Utf8JsonReader reader, ref long value, ref BinanceEvent ev, BinanceEvent.Seen field)
    {
        ev.Fields |= field;
        return TryFixed(ref reader, out value);
    }

    /// <summary>An id: a whole, non-negative number that fits 64 bits (ordering and continuity depend on it).</summary>
    private static bool Id(ref Utf8JsonReader reader, ref long value, ref BinanceEvent ev, BinanceEvent.Seen field)
    {
        ev.Fields |= field;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) && value >= 0;
    }

    private static bool Timestamp(ref Utf8JsonReader reader, ref long value, ref BinanceEvent ev, BinanceEvent.Seen field) =>
        Id(ref reader, ref value, ref ev, field) && value <= MaxUnixMs;
}
