using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Decodes Advanced Trade market-data messages, <c>{"channel":…,"timestamp":…,"sequence_num":N,"events":[…]}</c>,
/// straight from the UTF-8 bytes in one <see cref="Utf8JsonReader"/> pass: prices and sizes parsed from their strings
/// into exact fixed point, product ids resolved from their bytes, times read as RFC 3339. A <c>market_trades</c>
/// update becomes one <see cref="TickFields.Trade"/> tick per trade, oldest first (its snapshot of past trades is
/// read and checked but not replayed as live trades); a <c>ticker</c> a top-of-book tick with the 24-hour high, low
/// and volume; an <c>l2_data</c> event a pooled <see cref="BookUpdate"/> (snapshot or diff; the protocol stamps its
/// continuity). Nothing here allocates for market data. A frame that is not valid JSON, has a field of the wrong type
/// or a number that is not exact, lacks a required field, or carries content of another channel is
/// <see cref="CoinbaseFrameKind.Malformed"/>, and everything it decoded is taken back.
/// </summary>
internal static class CoinbaseDecoder
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 16 };

    [Flags]
    private enum Content : byte
    {
        None = 0,
        Book = 1,
        Tickers = 2,
        Trades = 4,
        Subscriptions = 8,
        Heartbeat = 16,
    }

    private enum Channel : byte
    {
        None,
        Level2,
        Ticker,
        MarketTrades,
        Heartbeats,
        Subscriptions,
        Other,
    }

    public static CoinbaseFrame Decode(ReadOnlySpan<byte> frame, CoinbaseProductMap products, DateTime receivedUtc, StreamEvents events)
    {
        int ticks = events.Ticks.Count;
        int books = events.Books.Count;
        CoinbaseFrame result;
        try
        {
            result = Read(frame, products, receivedUtc, events);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Invalid or cut-short JSON throws; so do escapes of half a surrogate pair when a string is compared or read.
            result = CoinbaseFrame.Malformed;
        }

        if (result.Kind == CoinbaseFrameKind.Malformed)
        {
            events.Ticks.RemoveRange(ticks, events.Ticks.Count - ticks);
            for (int i = books; i < events.Books.Count; i++)
            {
                BookUpdate.Return(events.Books[i]);
            }

            events.Books.RemoveRange(books, events.Books.Count - books);
        }

        return result;
    }

    private static CoinbaseFrame Read(ReadOnlySpan<byte> frame, CoinbaseProductMap products, DateTime receivedUtc, StreamEvents events)
    {
        var reader = new Utf8JsonReader(frame, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return CoinbaseFrame.Malformed;
        }

        int firstTick = events.Ticks.Count;
        Channel channel = Channel.None;
        Content content = Content.None;
        bool isError = false;
        bool hasEvents = false;
        string? message = null;
        long sequence = -1;
        DateTime timestamp = default;
        int unknown = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channel"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return CoinbaseFrame.Malformed;
                }

                channel = reader.ValueTextEquals("l2_data"u8) ? Channel.Level2
                    : reader.ValueTextEquals("ticker"u8) || reader.ValueTextEquals("ticker_batch"u8) ? Channel.Ticker
                    : reader.ValueTextEquals("market_trades"u8) ? Channel.MarketTrades
                    : reader.ValueTextEquals("heartbeats"u8) ? Channel.Heartbeats
                    : reader.ValueTextEquals("subscriptions"u8) ? Channel.Subscriptions
                    : Channel.Other;
            }
            else if (reader.ValueTextEquals("sequence_num"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out sequence) || sequence < 0)
                {
                    return CoinbaseFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                if (!reader.Read() || !CoinbaseJsonValues.TryTime(ref reader, out timestamp))
                {
                    return CoinbaseFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return CoinbaseFrame.Malformed;
                }

                isError = reader.ValueTextEquals("error"u8);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return CoinbaseFrame.Malformed;
                }

                message = reader.GetString();
            }
            else if (reader.ValueTextEquals("events"u8))
            {
                hasEvents = true;
                if (!reader.Read() || !ReadEvents(ref reader, products, receivedUtc, events, ref content, ref unknown))
                {
                    return CoinbaseFrame.Malformed;
                }
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
            return CoinbaseFrame.Malformed;
        }

        if (isError)
        {
            return channel == Channel.None && !string.IsNullOrEmpty(message) ? new CoinbaseFrame(CoinbaseFrameKind.Error, Message: message) : CoinbaseFrame.Malformed;
        }

        Content allowed = channel switch
        {
            Channel.Level2 => Content.Book,
            Channel.Ticker => Content.Tickers,
            Channel.MarketTrades => Content.Trades,
            Channel.Heartbeats => Content.Heartbeat,
            Channel.Subscriptions => Content.Subscriptions,
            Channel.Other => ~Content.None,
            _ => Content.None,
        };
        if (channel == Channel.None || !hasEvents || sequence < 0 || (content & ~allowed) != 0)
        {
            return CoinbaseFrame.Malformed;
        }

        // A ticker carries no time of its own: the message's.
        for (int i = firstTick; i < events.Ticks.Count && channel == Channel.Ticker; i++)
        {
            Tick tick = events.Ticks[i];
            tick.ExchangeTime = timestamp;
            events.Ticks[i] = tick;
        }

        foreach (BookUpdate book in events.Books)
        {
            book.ExchangeTime = book.ExchangeTime == default ? timestamp : book.ExchangeTime;
        }

        CoinbaseFrameKind kind = channel switch
        {
            Channel.Heartbeats => CoinbaseFrameKind.Heartbeat,
            Channel.Subscriptions => CoinbaseFrameKind.Subscriptions,
            Channel.Other => CoinbaseFrameKind.OtherChannel,
            _ => CoinbaseFrameKind.MarketData,
        };

        // Another channel's market data is not ours to publish.
        if (kind == CoinbaseFrameKind.OtherChannel)
        {
            events.Discard();
        }

        return new CoinbaseFrame(kind, sequence, unknown);
    }

    private static bool ReadEvents(ref Utf8JsonReader reader, CoinbaseProductMap products, DateTime receivedUtc, StreamEvents events, ref Content content, ref int unknown)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !ReadEvent(ref reader, products, receivedUtc, events, ref content, ref unknown))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>One event object (the reader on its start), left on its end.</summary>
    private static bool ReadEvent(ref Utf8JsonReader reader, CoinbaseProductMap products, DateTime receivedUtc, StreamEvents events, ref Content content, ref int unknown)
    {
        int? snapshot = null;
        bool hasProduct = false;
        bool productKnown = false;
        InstrumentId product = default;
        BookUpdate? book = null;
        int firstTick = events.Ticks.Count;
        Content seen = Content.None;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    snapshot = reader.ValueTextEquals("snapshot"u8) ? 1 : reader.ValueTextEquals("update"u8) ? 0 : -1;
                }
                else if (reader.ValueTextEquals("product_id"u8))
                {
                    if (!reader.Read() || !CoinbaseJsonValues.TryProduct(ref reader, products, out productKnown, out product))
                    {
                        return false;
                    }

                    hasProduct = true;
                }
                else if (reader.ValueTextEquals("updates"u8))
                {
                    seen |= Content.Book;
                    book ??= BookUpdate.Rent();
                    if (!reader.Read() || !CoinbaseLevels.Read(ref reader, book))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("tickers"u8))
                {
                    seen |= Content.Tickers;
                    if (!reader.Read() || !ReadItems(ref reader, products, receivedUtc, events, trades: false, ref unknown))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("trades"u8))
                {
                    seen |= Content.Trades;
                    if (!reader.Read() || !ReadItems(ref reader, products, receivedUtc, events, trades: true, ref unknown))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("subscriptions"u8))
                {
                    seen |= Content.Subscriptions;
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    reader.Skip();
                }
                else if (reader.ValueTextEquals("heartbeat_counter"u8))
                {
                    // An integer in the AsyncAPI schema; some servers send it as a string.
                    seen |= Content.Heartbeat;
                    if (!reader.Read() || reader.TokenType is not (JsonTokenType.Number or JsonTokenType.String))
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // One kind of content per event; market data events say whether they are a snapshot.
            if (reader.TokenType != JsonTokenType.EndObject || (seen & (seen - 1)) != 0
                || ((seen & (Content.Book | Content.Tickers | Content.Trades)) != 0 && snapshot is not (0 or 1))
                || ((seen & Content.Book) != 0) != hasProduct)
            {
                return false;
            }

            content |= seen;
            if ((seen & Content.Trades) != 0)
            {
                if (snapshot == 1)
                {
                    // Trades from before the subscription: checked, not replayed as live.
                    events.Ticks.RemoveRange(firstTick, events.Ticks.Count - firstTick);
                }
                else if (events.Ticks.Count - firstTick > 1 && events.Ticks[firstTick].ExchangeTime > events.Ticks[^1].ExchangeTime)
                {
                    // Coinbase lists a batch newest first.
                    events.Ticks.Reverse(firstTick, events.Ticks.Count - firstTick);
                }
            }

            if (book is not null)
            {
                if (!productKnown)
                {
                    unknown++;
                    return true;
                }

                book.Instrument = product;
                book.IsSnapshot = snapshot == 1;
                book.ReceiveTime = receivedUtc;
                book.Source = TickSource.Stream;
                book.Continuity = UpdateIdContinuity.Instance;
                events.Books.Add(book);
                book = null;
            }

            return true;
        }
        finally
        {
            if (book is not null)
            {
                BookUpdate.Return(book);
            }
        }
    }

    /// <summary>A <c>tickers</c> or <c>trades</c> array (the reader on its start), one tick per item of a known product.</summary>
    private static bool ReadItems(ref Utf8JsonReader reader, CoinbaseProductMap products, DateTime receivedUtc, StreamEvents events, bool trades, ref int unknown)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var item = default(CoinbaseItem);
            if (reader.TokenType != JsonTokenType.StartObject || !CoinbaseItem.Read(ref reader, products, ref item))
            {
                return false;
            }

            if (trades ? !item.Has(CoinbaseItem.Seen.TradeFields) : !item.Has(CoinbaseItem.Seen.TickerFields))
            {
                return false;
            }

            if (!item.ProductKnown)
            {
                unknown++;
                continue;
            }

            Tick tick = trades ? item.ToTrade(receivedUtc) : item.ToTicker(receivedUtc);
            if (tick.Updates != TickFields.None)
            {
                events.Ticks.Add(tick);
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }
}
