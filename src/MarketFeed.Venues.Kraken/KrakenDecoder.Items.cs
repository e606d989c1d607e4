using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>The data items of the three market-data channels, and Kraken's numbers and times.</summary>
internal static partial class KrakenDecoder
{
    [Flags]
    private enum Seen : ushort
    {
        None = 0,
        Symbol = 1 << 0,
        Price = 1 << 1,
        Quantity = 1 << 2,
        TradeId = 1 << 3,
        Time = 1 << 4,
        Bid = 1 << 5,
        BidQty = 1 << 6,
        Ask = 1 << 7,
        AskQty = 1 << 8,
        Bids = 1 << 9,
        Asks = 1 << 10,
        Checksum = 1 << 11,

        Trade = Symbol | Price | Quantity | TradeId | Time,
        Ticker = Symbol | Bid | BidQty | Ask | AskQty,
        Book = Symbol | Checksum,
    }

    private static bool ReadTrades(ref Utf8JsonReader reader, KrakenSymbolMap symbols, DateTime receivedUtc, StreamEvents events, ref int read, ref int unknown)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Seen seen = Seen.None;
            int slot = -1;
            long price = 0, quantity = 0, tradeId = 0;
            DateTime time = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("symbol"u8))
                {
                    if (!Symbol(ref reader, symbols, out slot))
                    {
                        return false;
                    }

                    seen |= Seen.Symbol;
                }
                else if (reader.ValueTextEquals("price"u8))
                {
                    if (!Number(ref reader, out price, out _) || price <= 0)
                    {
                        return false;
                    }

                    seen |= Seen.Price;
                }
                else if (reader.ValueTextEquals("qty"u8))
                {
                    if (!Number(ref reader, out quantity, out _) || quantity <= 0)
                    {
                        return false;
                    }

                    seen |= Seen.Quantity;
                }
                else if (reader.ValueTextEquals("trade_id"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out tradeId) || tradeId < 0)
                    {
                        return false;
                    }

                    seen |= Seen.TradeId;
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    if (!Timestamp(ref reader, out time))
                    {
                        return false;
                    }

                    seen |= Seen.Time;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if ((seen & Seen.Trade) != Seen.Trade)
            {
                return false;
            }

            if (slot < 0)
            {
                unknown++;
                continue;
            }

            read++;
            events.Ticks.Add(new Tick(symbols.Instrument(slot))
            {
                Updates = TickFields.Trade,
                Ltp = Price.FromRaw(price),
                Ltq = Quantity.FromRaw(quantity),
                ExchangeTime = time,
                ReceiveTime = receivedUtc,
                VenueSequence = tradeId,
                Flags = TickFlags.Trade,
                Mode = FeedMode.Full,
                Source = TickSource.Stream,
            });
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool ReadTickers(ref Utf8JsonReader reader, KrakenSymbolMap symbols, DateTime receivedUtc, StreamEvents events, ref int read, ref int unknown)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Seen seen = Seen.None;
            int slot = -1;
            long bid = 0, bidQty = 0, ask = 0, askQty = 0;
            DateTime time = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool ok = true;
                if (reader.ValueTextEquals("symbol"u8))
                {
                    (ok, seen) = (Symbol(ref reader, symbols, out slot), seen | Seen.Symbol);
                }
                else if (reader.ValueTextEquals("bid"u8))
                {
                    (ok, seen) = (Number(ref reader, out bid, out _), seen | Seen.Bid);
                }
                else if (reader.ValueTextEquals("bid_qty"u8))
                {
                    (ok, seen) = (Number(ref reader, out bidQty, out _), seen | Seen.BidQty);
                }
                else if (reader.ValueTextEquals("ask"u8))
                {
                    (ok, seen) = (Number(ref reader, out ask, out _), seen | Seen.Ask);
                }
                else if (reader.ValueTextEquals("ask_qty"u8))
                {
                    (ok, seen) = (Number(ref reader, out askQty, out _), seen | Seen.AskQty);
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    ok = Timestamp(ref reader, out time);
                }
                else
                {
                    // last, volume, vwap, low, high, change, change_pct: rolling 24-hour figures, not a trading day's.
                    reader.Read();
                    reader.Skip();
                }

                if (!ok)
                {
                    return false;
                }
            }

            if ((seen & Seen.Ticker) != Seen.Ticker)
            {
                return false;
            }

            if (slot < 0)
            {
                unknown++;
                continue;
            }

            read++;
            var quote = new Tick(symbols.Instrument(slot))
            {
                Updates = TickFields.TopOfBook,
                ExchangeTime = time,
                ReceiveTime = receivedUtc,
                Mode = FeedMode.Quote,
                Source = TickSource.Stream,
            };

            // An empty side comes as 0: no bid (or offer), not a price of 0.
            if (bid != 0)
            {
                (quote.Bid, quote.BidQty) = (Price.FromRaw(bid), Quantity.FromRaw(bidQty));
            }

            if (ask != 0)
            {
                (quote.Ask, quote.AskQty) = (Price.FromRaw(ask), Quantity.FromRaw(askQty));
            }

            events.Ticks.Add(quote);
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool ReadBooks(ref Utf8JsonReader reader, KrakenSymbolMap symbols, bool snapshot, DateTime receivedUtc, StreamEvents events, ref int read, ref int unknown)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            BookUpdate book = BookUpdate.Rent();
            Seen seen = Seen.None;
            int slot = -1;
            uint checksum = 0;
            DateTime time = default;
            int decimals = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool ok = true;
                if (reader.ValueTextEquals("symbol"u8))
                {
                    (ok, seen) = (Symbol(ref reader, symbols, out slot), seen | Seen.Symbol);
                }
                else if (reader.ValueTextEquals("bids"u8))
                {
                    (ok, seen) = (reader.Read() && ReadLevels(ref reader, book, bids: true, ref decimals), seen | Seen.Bids);
                }
                else if (reader.ValueTextEquals("asks"u8))
                {
                    (ok, seen) = (reader.Read() && ReadLevels(ref reader, book, bids: false, ref decimals), seen | Seen.Asks);
                }
                else if (reader.ValueTextEquals("checksum"u8))
                {
                    (ok, seen) = (reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out checksum), seen | Seen.Checksum);
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    ok = Timestamp(ref reader, out time);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }

                if (!ok)
                {
                    BookUpdate.Return(book);
                    return false;
                }
            }

            if ((seen & Seen.Book) != Seen.Book || (snapshot && (seen & (Seen.Bids | Seen.Asks)) != (Seen.Bids | Seen.Asks)))
            {
                BookUpdate.Return(book);
                return false;
            }

            if (slot < 0)
            {
                BookUpdate.Return(book);
                unknown++;
                continue;
            }

            read++;
            KrakenBookChecksum keeper = symbols.Book(slot);
            if (decimals >= 0 && decimals != ((keeper.PriceDecimals << 8) | keeper.QuantityDecimals))
            {
                keeper.Observe(decimals >> 8, decimals & 0xFF);
            }

            long number = symbols.NextBookMessage(slot);
            book.Instrument = symbols.Instrument(slot);
            book.IsSnapshot = snapshot;
            (book.FirstUpdateId, book.LastUpdateId) = (number, number);
            book.Checksum = checksum;
            book.ExchangeTime = time;
            book.ReceiveTime = receivedUtc;
            book.Source = TickSource.Stream;
            book.Continuity = keeper;
            events.Books.Add(book);
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary>
    /// <c>[{"price":N,"qty":N},…]</c> (the reader on its start) into <paramref name="book"/>; a quantity of 0 removes
    /// the level. <paramref name="decimals"/> gets the decimals written (price in the high byte, quantity in the low).
    /// </summary>
    private static bool ReadLevels(ref Utf8JsonReader reader, BookUpdate book, bool bids, ref int decimals)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            long price = -1, quantity = -1;
            int priceDecimals = 0, quantityDecimals = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("price"u8))
                {
                    if (!Number(ref reader, out price, out priceDecimals) || price <= 0)
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("qty"u8))
                {
                    if (!Number(ref reader, out quantity, out quantityDecimals) || quantity < 0)
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

            if (price < 0 || quantity < 0)
            {
                return false;
            }

            decimals = (priceDecimals << 8) | quantityDecimals;
            if (bids)
            {
                book.AddBid(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
            else
            {
                book.AddAsk(Price.FromRaw(price), Quantity.FromRaw(quantity));
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }
}
