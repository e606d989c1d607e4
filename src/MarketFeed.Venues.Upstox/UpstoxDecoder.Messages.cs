using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>The nested messages of a feed: LTPC, OHLC candles, depth levels and quotes, Greeks.</summary>
public sealed partial class UpstoxDecoder
{
    /// <summary>LTPC: ltp=1, ltt=2 (epoch ms), ltq=3, cp=4 (previous close). Zero is "not sent": the last value stays.</summary>
    private static bool ReadLtpc(ReadOnlySpan<byte> body, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            double d;
            long v;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out Price ltp) && Assign(ref tick, ltp, static (ref Tick t, Price p) => t.Ltp = p),
                (2, ProtoReader.Varint) => reader.TryReadInt64(wire, out v) && SetTime(v, ref tick),
                (3, ProtoReader.Varint) => reader.TryReadInt64(wire, out v) && SetQuantity(v, ref tick, volume: false),
                (4, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out Price cp) && Assign(ref tick, cp, static (ref Tick t, Price p) => t.Close = p),
                (5, ProtoReader.LengthDelimited) => reader.TryReadBytes(out ReadOnlySpan<byte> iep) && Flat(iep),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>marketOHLC: the <c>1d</c> candle gives the day's open, high and low (its close is the LTP; <c>I1</c> is not used).</summary>
    private static bool ReadOhlc(ReadOnlySpan<byte> body, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            if (field != 1 || wire != ProtoReader.LengthDelimited)
            {
                if (!reader.TrySkip(wire))
                {
                    return false;
                }

                continue;
            }

            if (!reader.TryReadBytes(out ReadOnlySpan<byte> candle) || !ReadCandle(candle, ref tick))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ReadCandle(ReadOnlySpan<byte> candle, ref Tick tick)
    {
        var reader = new ProtoReader(candle);
        ReadOnlySpan<byte> interval = default;
        Price open = Price.None, high = Price.None, low = Price.None;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            double d;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out interval),
                (2, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out open),
                (3, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out high),
                (4, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out low),
                (5, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out _),
                (6 or 7, ProtoReader.Varint) => reader.TryReadInt64(wire, out long v) && v >= 0,
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (interval.SequenceEqual(s_dayInterval))
        {
            tick.Open = open.HasValue ? open : tick.Open;
            tick.High = high.HasValue ? high : tick.High;
            tick.Low = low.HasValue ? low : tick.Low;
        }

        return true;
    }

    /// <summary>marketLevel: repeated Quote, a bid and an ask per level. Five go on the tick; a deeper book (full_d30) also becomes a snapshot.</summary>
    private bool ReadLevels(ReadOnlySpan<byte> body, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        var depth = default(MarketDepth);
        BookUpdate? book = null;
        int level = 0;
        bool bidsEnded = false, asksEnded = false;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return Fail(book);
            }

            if (field != 1 || wire != ProtoReader.LengthDelimited)
            {
                if (!reader.TrySkip(wire))
                {
                    return Fail(book);
                }

                continue;
            }

            if (!reader.TryReadBytes(out ReadOnlySpan<byte> quote) || !ReadQuote(quote, out DepthLevel bid, out DepthLevel ask))
            {
                return Fail(book);
            }

            // A level without a price ends that side: the book never shows a price of 0.
            bidsEnded |= !bid.Price.HasValue;
            asksEnded |= !ask.Price.HasValue;
            if (level < MarketDepth.Levels)
            {
                if (!bidsEnded)
                {
                    depth.SetBid(level, bid);
                }

                if (!asksEnded)
                {
                    depth.SetAsk(level, ask);
                }
            }
            else if (level == MarketDepth.Levels && !_checking)
            {
                book = BookUpdate.Rent();
                book.Instrument = tick.Instrument;
                book.IsSnapshot = true;
                for (int i = 0; i < depth.BidCount; i++)
                {
                    book.AddBid(depth.Bids[i].Price, depth.Bids[i].Quantity);
                }

                for (int i = 0; i < depth.AskCount; i++)
                {
                    book.AddAsk(depth.Asks[i].Price, depth.Asks[i].Quantity);
                }
            }

            if (book is not null)
            {
                if (!bidsEnded)
                {
                    book.AddBid(bid.Price, bid.Quantity);
                }

                if (!asksEnded)
                {
                    book.AddAsk(ask.Price, ask.Quantity);
                }
            }

            level++;
        }

        tick.Depth = depth;
        tick.Bid = depth.BidCount > 0 ? depth.Bids[0].Price : Price.None;
        tick.BidQty = depth.BidCount > 0 ? depth.Bids[0].Quantity : Quantity.None;
        tick.Ask = depth.AskCount > 0 ? depth.Asks[0].Price : Price.None;
        tick.AskQty = depth.AskCount > 0 ? depth.Asks[0].Quantity : Quantity.None;
        if (book is not null)
        {
            book.ExchangeTime = tick.ExchangeTime;
            book.Source = TickSource.Stream;
            _books.Add(book);
        }

        return true;

        static bool Fail(BookUpdate? book)
        {
            if (book is not null)
            {
                BookUpdate.Return(book);
            }

            return false;
        }
    }

    private static bool ReadTopOfBook(ReadOnlySpan<byte> quote, ref Tick tick)
    {
        if (!ReadQuote(quote, out DepthLevel bid, out DepthLevel ask))
        {
            return false;
        }

        (tick.Bid, tick.BidQty) = bid.Price.HasValue ? (bid.Price, bid.Quantity) : (Price.None, Quantity.None);
        (tick.Ask, tick.AskQty) = ask.Price.HasValue ? (ask.Price, ask.Quantity) : (Price.None, Quantity.None);
        return true;
    }

    /// <summary>Quote: bidQ=1, bidP=2, askQ=3, askP=4. Upstox sends no order counts.</summary>
    private static bool ReadQuote(ReadOnlySpan<byte> body, out DepthLevel bid, out DepthLevel ask)
    {
        var reader = new ProtoReader(body);
        long bidQ = 0, askQ = 0;
        Price bidP = Price.None, askP = Price.None;
        bid = ask = default;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            double d;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.Varint) => reader.TryReadInt64(wire, out bidQ) && bidQ is >= 0 and <= (long)MaxQuantity,
                (2, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out bidP),
                (3, ProtoReader.Varint) => reader.TryReadInt64(wire, out askQ) && askQ is >= 0 and <= (long)MaxQuantity,
                (4, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out askP),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        bid = new DepthLevel(bidP, bidP.HasValue ? Quantity.FromUnits(bidQ) : Quantity.None, 0);
        ask = new DepthLevel(askP, askP.HasValue ? Quantity.FromUnits(askQ) : Quantity.None, 0);
        return true;
    }

    /// <summary>OptionGreeks: delta=1, theta=2, gamma=3, vega=4, rho=5 (rho is not part of the tick shape).</summary>
    private static bool ReadGreeks(ReadOnlySpan<byte> body, ref GreeksParts greeks)
    {
        var reader = new ProtoReader(body);
        greeks.Present = true;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            bool ok = (field, wire) switch
            {
                (1, ProtoReader.Fixed64) => reader.TryReadDouble(out greeks.Delta),
                (2, ProtoReader.Fixed64) => reader.TryReadDouble(out greeks.Theta),
                (3, ProtoReader.Fixed64) => reader.TryReadDouble(out greeks.Gamma),
                (4, ProtoReader.Fixed64) => reader.TryReadDouble(out greeks.Vega),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        return double.IsFinite(greeks.Delta) && double.IsFinite(greeks.Theta) && double.IsFinite(greeks.Gamma) && double.IsFinite(greeks.Vega);
    }

    /// <summary>Greeks reach the tick for options only (equities carry an empty <c>optionGreeks {}</c>).</summary>
    private static void ApplyGreeks(UpstoxKeyEntry instrument, GreeksParts greeks, ref Tick tick)
    {
        if (instrument.IsOption && (greeks.Present || greeks.Iv != 0))
        {
            tick.Greeks = new OptionGreeks(greeks.Delta, greeks.Gamma, greeks.Theta, greeks.Vega, greeks.Iv);
        }
    }
}
