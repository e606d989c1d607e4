using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Decodes Kraken v2 frames straight from the UTF-8 bytes in one <see cref="Utf8JsonReader"/> pass: Kraken writes
/// <c>channel</c> and <c>type</c> before <c>data</c>, whose items are then read in place; in any other order the
/// <c>data</c> array is read again after the envelope, so key order is not relied on. Prices and quantities are JSON numbers whose
/// text is parsed into exact fixed point — never through a double — and a book level's decimals are recorded for its
/// checksum. A <c>trade</c> item becomes a <see cref="TickFields.Trade"/> tick ordered by <c>trade_id</c>, a
/// <c>ticker</c> item a <see cref="TickFields.TopOfBook"/> tick, a <c>book</c> item a pooled <see cref="BookUpdate"/>
/// (snapshot or update) carrying Kraken's checksum. Acks, errors, pongs, heartbeats and status are classified for the
/// protocol. Market data allocates nothing; a frame that is not valid JSON, has a field of the wrong type or a number
/// that is not an exact decimal of at most 8 places (exponents included), or lacks a required field is
/// <see cref="KrakenFrameKind.Malformed"/> and produces no event at all.
/// </summary>
internal static partial class KrakenDecoder
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 16 };

    public static KrakenFrame Decode(ReadOnlySpan<byte> frame, KrakenSymbolMap symbols, DateTime receivedUtc, StreamEvents events)
    {
        int ticks = events.Ticks.Count;
        int books = events.Books.Count;
        KrakenFrame result;
        try
        {
            result = Read(frame, symbols, receivedUtc, events);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Invalid or cut-short JSON throws; so does a date that does not exist.
            result = KrakenFrame.Malformed;
        }

        if (result.Kind != KrakenFrameKind.MarketData)
        {
            // Items read before the frame turned out bad (or for unknown symbols only) never leave the decoder.
            events.Ticks.RemoveRange(ticks, events.Ticks.Count - ticks);
            for (int i = events.Books.Count - 1; i >= books; i--)
            {
                BookUpdate.Return(events.Books[i]);
                events.Books.RemoveAt(i);
            }
        }

        return result;
    }

    private static KrakenFrame Read(ReadOnlySpan<byte> frame, KrakenSymbolMap symbols, DateTime receivedUtc, StreamEvents events)
    {
        var reader = new Utf8JsonReader(frame, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return KrakenFrame.Malformed;
        }

        KrakenChannel channel = KrakenChannel.None;
        int type = -1;
        bool hasData = false;
        bool itemsRead = false;
        int read = 0;
        int unknown = 0;
        Utf8JsonReader data = default;
        KrakenMethod method = KrakenMethod.None;
        int success = -1;
        long requestId = 0;
        string? error = null;
        string? symbol = null;
        KrakenChannel resultChannel = KrakenChannel.None;
        string? resultSymbol = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channel"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || (channel = ChannelOf(ref reader)) == KrakenChannel.None)
                {
                    return KrakenFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return KrakenFrame.Malformed;
                }

                type = reader.ValueTextEquals("snapshot"u8) ? 1 : reader.ValueTextEquals("update"u8) ? 0 : 2;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return KrakenFrame.Malformed;
                }

                if (channel is KrakenChannel.Trade or KrakenChannel.Ticker or KrakenChannel.Book && type is 0 or 1 && !hasData)
                {
                    // Kraken writes channel and type first: the items are read in this one pass.
                    if (!ReadItems(ref reader, channel, type == 1, symbols, receivedUtc, events, ref read, ref unknown))
                    {
                        return KrakenFrame.Malformed;
                    }

                    itemsRead = true;
                }
                else
                {
                    data = reader;
                    reader.Skip();
                }

                hasData = true;
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return KrakenFrame.Malformed;
                }

                method = reader.ValueTextEquals("subscribe"u8) ? KrakenMethod.Subscribe
                    : reader.ValueTextEquals("unsubscribe"u8) ? KrakenMethod.Unsubscribe
                    : reader.ValueTextEquals("pong"u8) ? KrakenMethod.Pong
                    : KrakenMethod.Other;
            }
            else if (reader.ValueTextEquals("success"u8))
            {
                if (!reader.Read() || reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return KrakenFrame.Malformed;
                }

                success = reader.TokenType == JsonTokenType.True ? 1 : 0;
            }
            else if (reader.ValueTextEquals("req_id"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out requestId))
                {
                    return KrakenFrame.Malformed;
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return KrakenFrame.Malformed;
                }

                error = reader.GetString();
            }
            else if (reader.ValueTextEquals("symbol"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return KrakenFrame.Malformed;
                }

                symbol = reader.GetString();
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                if (!reader.Read() || (reader.TokenType == JsonTokenType.StartObject && !ReadResult(ref reader, out resultChannel, out resultSymbol)))
                {
                    return KrakenFrame.Malformed;
                }

                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return KrakenFrame.Malformed;
        }

        // Kraken's refusals of a connection's pace come without a method.
        if (method != KrakenMethod.None || (success == 0 && channel == KrakenChannel.None))
        {
            return Reply(method, success, requestId, resultChannel, symbol ?? resultSymbol, error);
        }

        switch (channel)
        {
            case KrakenChannel.Heartbeat:
                return new KrakenFrame(KrakenFrameKind.Heartbeat);
            case KrakenChannel.Status:
                return hasData && ReadStatus(ref data, out string? system) ? new KrakenFrame(KrakenFrameKind.Status, Text: system) : KrakenFrame.Malformed;
            case KrakenChannel.Other:
                return new KrakenFrame(KrakenFrameKind.UnknownChannel);
            case KrakenChannel.None:
                return KrakenFrame.Malformed;
        }

        if (!hasData || type is not (0 or 1))
        {
            return KrakenFrame.Malformed;
        }

        bool ok = itemsRead || ReadItems(ref data, channel, type == 1, symbols, receivedUtc, events, ref read, ref unknown);
        return !ok ? KrakenFrame.Malformed
            : read > 0 ? new KrakenFrame(KrakenFrameKind.MarketData, Channel: channel, UnknownSymbols: unknown)
            : unknown > 0 ? new KrakenFrame(KrakenFrameKind.UnknownSymbol, Channel: channel, UnknownSymbols: unknown)

            // An empty data array (a trade snapshot of a pair that never traded): nothing to do.
            : new KrakenFrame(KrakenFrameKind.MarketData, Channel: channel);
    }

    private static bool ReadItems(ref Utf8JsonReader reader, KrakenChannel channel, bool snapshot, KrakenSymbolMap symbols, DateTime receivedUtc, StreamEvents events,
        ref int read, ref int unknown) => channel switch
        {
            KrakenChannel.Trade => ReadTrades(ref reader, symbols, receivedUtc, events, ref read, ref unknown),
            KrakenChannel.Ticker => ReadTickers(ref reader, symbols, receivedUtc, events, ref read, ref unknown),
            _ => ReadBooks(ref reader, symbols, snapshot, receivedUtc, events, ref read, ref unknown),
        };

    private static KrakenFrame Reply(KrakenMethod method, int success, long requestId, KrakenChannel channel, string? symbol, string? error)
    {
        if (method == KrakenMethod.Pong)
        {
            return new KrakenFrame(KrakenFrameKind.Pong, requestId);
        }

        bool subscribe = method == KrakenMethod.Subscribe;
        return success switch
        {
            1 => new KrakenFrame(KrakenFrameKind.Ack, requestId, subscribe, channel, symbol),
            0 => new KrakenFrame(KrakenFrameKind.RequestError, requestId, subscribe, channel, symbol, error),
            _ => KrakenFrame.Malformed,
        };
    }

    /// <summary>An ack's <c>result</c>: its channel and symbol (a string; other fields skipped). The reader ends on the object's end.</summary>
    private static bool ReadResult(ref Utf8JsonReader reader, out KrakenChannel channel, out string? symbol)
    {
        channel = KrakenChannel.None;
        symbol = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channel"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                channel = ChannelOf(ref reader);
            }
            else if (reader.ValueTextEquals("symbol"u8))
            {
                reader.Read();
                symbol = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool ReadStatus(ref Utf8JsonReader reader, out string? system)
    {
        system = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("system"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    system = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        return reader.TokenType == JsonTokenType.EndArray && system is not null;
    }

    private static KrakenChannel ChannelOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("trade"u8) ? KrakenChannel.Trade
        : reader.ValueTextEquals("book"u8) ? KrakenChannel.Book
        : reader.ValueTextEquals("ticker"u8) ? KrakenChannel.Ticker
        : reader.ValueTextEquals("heartbeat"u8) ? KrakenChannel.Heartbeat
        : reader.ValueTextEquals("status"u8) ? KrakenChannel.Status
        : reader.ValueSpan.IsEmpty ? KrakenChannel.None
        : KrakenChannel.Other;

    private enum KrakenMethod
    {
        None,
        Subscribe,
        Unsubscribe,
        Pong,
        Other,
    }
}
