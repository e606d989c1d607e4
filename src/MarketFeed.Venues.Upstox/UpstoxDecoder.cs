using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Decodes Upstox v3 <c>FeedResponse</c> frames straight from the protobuf bytes (see <see cref="ProtoReader"/>):
/// <c>ltpc</c>, <c>firstLevelWithGreeks</c> (option_greeks), <c>fullFeed.marketFF</c> (full, full_d30) and
/// <c>fullFeed.indexFF</c>; <c>marketOHLC</c>'s <c>1d</c> candle and the day statistics; depth (first five levels on
/// the tick, every level of a <c>full_d30</c> feed as an order-book snapshot); <c>marketInfo</c> into
/// <see cref="UpstoxMarketSessions"/>. proto3 leaves zero values off the wire, so each feed entry is merged into the
/// instrument's last known state (one per connection: an instance serves one connection) and a whole tick goes out.
/// A frame that is not valid protobuf, or carries an impossible number (NaN, negative, beyond the fixed-point range),
/// is rejected whole and changes no state; an instrument key not in the instrument file is counted, never guessed.
/// Nothing is allocated per frame once the state and pending lists have grown (book snapshots come from the pool).
/// </summary>
public sealed class UpstoxDecoder(Func<UpstoxKeyMap> keys, UpstoxMarketSessions sessions)
{
    private const double MaxPrice = 1e10;
    private const double MaxQuantity = 9e10;
    private static readonly byte[] s_dayInterval = "1d"u8.ToArray();

    private readonly Dictionary<InstrumentId, Tick> _state = [];
    private readonly List<Tick> _pending = [];
    private readonly List<BookUpdate> _books = [];
    private readonly List<(int Start, int Length, UpstoxSegmentStatus Status)> _segments = [];
    private bool _checking;

    /// <summary>Instrument keys not in the instrument file, over this decoder's life.</summary>
    public long UnknownKeys { get; private set; }

    /// <summary>Decodes one frame; true when it was valid (its ticks and books appended), false when rejected whole.</summary>
    public bool Decode(ReadOnlySpan<byte> frame, DateTime receivedUtc, List<Tick> ticks, List<BookUpdate>? books)
    {
        _pending.Clear();
        _books.Clear();
        _segments.Clear();
        UpstoxKeyMap map = keys();
        var reader = new ProtoReader(frame);
        ReadOnlySpan<byte> marketInfo = default;
        bool ok = true;
        while (ok && !reader.End)
        {
            ok = reader.TryReadTag(out int field, out int wire);
            if (!ok)
            {
                break;
            }

            if (field == 2 && wire == ProtoReader.LengthDelimited)
            {
                ok = reader.TryReadBytes(out ReadOnlySpan<byte> entry) && DecodeEntry(entry, map, receivedUtc);
            }
            else if (field == 4 && wire == ProtoReader.LengthDelimited)
            {
                ok = reader.TryReadBytes(out marketInfo) && ReadMarketInfo(marketInfo);
            }
            else
            {
                // type and currentTs: the state merge makes snapshot and live alike, and receive time is what we stamp.
                ok = reader.TrySkip(wire);
            }
        }

        if (!ok)
        {
            foreach (BookUpdate book in _books)
            {
                BookUpdate.Return(book);
            }

            return false;
        }

        foreach (Tick tick in _pending)
        {
            _state[tick.Instrument] = tick;
            ticks.Add(tick);
        }

        foreach (BookUpdate book in _books)
        {
            if (books is null)
            {
                BookUpdate.Return(book);
            }
            else
            {
                books.Add(book);
            }
        }

        foreach ((int start, int length, UpstoxSegmentStatus status) in _segments)
        {
            // market_info is rare (once per connection and at session changes): a string per segment is fine here.
            sessions.Set(Encoding.UTF8.GetString(marketInfo.Slice(start, length)), status);
        }

        return true;
    }

    private bool DecodeEntry(ReadOnlySpan<byte> entry, UpstoxKeyMap map, DateTime receivedUtc)
    {
        var reader = new ProtoReader(entry);
        ReadOnlySpan<byte> key = default;
        ReadOnlySpan<byte> feed = default;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out key),
                // The runtime merges repeated message fields, so it parses each occurrence: an earlier one is checked
                // here, the last is read below.
                (2, ProtoReader.LengthDelimited) => (feed.IsEmpty || ValidFeed(feed)) && reader.TryReadBytes(out feed),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (!map.TryGet(key, out UpstoxKeyEntry instrument))
        {
            UnknownKeys++;
            return ValidFeed(feed);
        }

        int index = PendingIndex(instrument.Id);
        Tick tick = index >= 0 ? _pending[index]
            : _state.TryGetValue(instrument.Id, out Tick last) ? last
            : new Tick(instrument.Id) { Updates = TickFields.All };
        if (!ReadFeed(feed, instrument, ref tick))
        {
            return false;
        }

        tick.ReceiveTime = receivedUtc;
        tick.Source = TickSource.Stream;
        tick.Updates = TickFields.All;
        if (index >= 0)
        {
            _pending[index] = tick;
        }
        else
        {
            _pending.Add(tick);
        }

        return true;
    }

    /// <summary>A feed checked without being applied (for every occurrence, and for keys not in the instrument file).</summary>
    private bool ValidFeed(ReadOnlySpan<byte> feed)
    {
        Tick scratch = new(default);
        _checking = true;
        try
        {
            return ReadFeed(feed, default, ref scratch);
        }
        finally
        {
            _checking = false;
        }
    }

    private int PendingIndex(InstrumentId id)
    {
        Span<Tick> pending = CollectionsMarshal.AsSpan(_pending);
        for (int i = 0; i < pending.Length; i++)
        {
            if (pending[i].Instrument == id)
            {
                return i;
            }
        }

        return -1;
    }

    private bool ReadFeed(ReadOnlySpan<byte> feed, UpstoxKeyEntry instrument, ref Tick tick)
    {
        var reader = new ProtoReader(feed);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            ReadOnlySpan<byte> body;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out body) && ReadLtpc(body, ref tick) && SetMode(ref tick, FeedMode.Ltp),
                (2, ProtoReader.LengthDelimited) => reader.TryReadBytes(out body) && ReadFullFeed(body, instrument, ref tick),
                (3, ProtoReader.LengthDelimited) => reader.TryReadBytes(out body) && ReadFirstLevel(body, instrument, ref tick),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SetMode(ref Tick tick, FeedMode mode)
    {
        tick.Mode = mode;
        return true;
    }

    private bool ReadFullFeed(ReadOnlySpan<byte> body, UpstoxKeyEntry instrument, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            ReadOnlySpan<byte> inner;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadMarketFull(inner, instrument, ref tick),
                (2, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadIndexFull(inner, ref tick),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        tick.Mode = FeedMode.Full;
        return true;
    }

    private static bool ReadIndexFull(ReadOnlySpan<byte> body, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            ReadOnlySpan<byte> inner;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadLtpc(inner, ref tick),
                (2, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadOhlc(inner, ref tick),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadMarketFull(ReadOnlySpan<byte> body, UpstoxKeyEntry instrument, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        GreeksParts greeks = default;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            ReadOnlySpan<byte> inner;
            double d;
            long v;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadLtpc(inner, ref tick),
                (2, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadLevels(inner, ref tick),
                (3, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadGreeks(inner, ref greeks),
                (4, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadOhlc(inner, ref tick),
                (5, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetPrice(d, out Price atp) && Assign(ref tick, atp, static (ref Tick t, Price p) => t.Atp = p),
                (6, ProtoReader.Varint) => reader.TryReadInt64(wire, out v) && SetQuantity(v, ref tick, volume: true),
                (7, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetOpenInterest(d, ref tick),
                (8, ProtoReader.Fixed64) => reader.TryReadDouble(out greeks.Iv) && double.IsFinite(greeks.Iv),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        ApplyGreeks(instrument, greeks, ref tick);
        return true;
    }

    private bool ReadFirstLevel(ReadOnlySpan<byte> body, UpstoxKeyEntry instrument, ref Tick tick)
    {
        var reader = new ProtoReader(body);
        GreeksParts greeks = default;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            ReadOnlySpan<byte> inner;
            double d;
            long v;
            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadLtpc(inner, ref tick),
                (2, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadTopOfBook(inner, ref tick),
                (3, ProtoReader.LengthDelimited) => reader.TryReadBytes(out inner) && ReadGreeks(inner, ref greeks),
                (4, ProtoReader.Varint) => reader.TryReadInt64(wire, out v) && SetQuantity(v, ref tick, volume: true),
                (5, ProtoReader.Fixed64) => reader.TryReadDouble(out d) && SetOpenInterest(d, ref tick),
                (6, ProtoReader.Fixed64) => reader.TryReadDouble(out greeks.Iv) && double.IsFinite(greeks.Iv),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        ApplyGreeks(instrument, greeks, ref tick);
        tick.Mode = FeedMode.Quote;
        return true;
    }

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

    /// <summary>marketInfo.segmentStatus: map entries of segment (1) → status (2, PRE_OPEN_START when absent).</summary>
    private bool ReadMarketInfo(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            if (field is 2 or 3 && wire == ProtoReader.LengthDelimited)
            {
                // casMarketStatus / preOpenSessionStatus: not used, but checked as the runtime would parse them.
                if (!reader.TryReadBytes(out ReadOnlySpan<byte> status) || !StatusEntry(status))
                {
                    return false;
                }

                continue;
            }

            if (field != 1 || wire != ProtoReader.LengthDelimited)
            {
                if (!reader.TrySkip(wire))
                {
                    return false;
                }

                continue;
            }

            if (!reader.TryReadBytes(out ReadOnlySpan<byte> entry) || !ReadSegment(entry, body))
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadSegment(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> info)
    {
        var reader = new ProtoReader(entry);
        ReadOnlySpan<byte> segment = default;
        long status = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            bool ok = (field, wire) switch
            {
                (1, ProtoReader.LengthDelimited) => reader.TryReadBytes(out segment),
                (2, ProtoReader.Varint) => reader.TryReadInt64(wire, out status),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (segment.Length == 0 || status is < 0 or > (long)UpstoxSegmentStatus.ClosingEnd || !Ascii.IsValid(segment))
        {
            // A status this schema does not know (a newer server), or no segment name: nothing to act on, not damage.
            return true;
        }

        // Where the segment name sits inside marketInfo: the string is made only once the frame is known good.
        int start = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(info), ref MemoryMarshal.GetReference(segment));
        _segments.Add((start, segment.Length, (UpstoxSegmentStatus)status));
        return true;
    }

    /// <summary>A message of scalar and string fields only (a DoubleValue, a StatusInfo): well formed or not.</summary>
    private static bool Flat(ReadOnlySpan<byte> body)
    {
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out _, out int wire) || !reader.TrySkip(wire))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A map&lt;string, StatusInfo&gt; entry: key (1), StatusInfo message (2).</summary>
    private static bool StatusEntry(ReadOnlySpan<byte> entry)
    {
        var reader = new ProtoReader(entry);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out int field, out int wire))
            {
                return false;
            }

            bool ok = field == 2 && wire == ProtoReader.LengthDelimited
                ? reader.TryReadBytes(out ReadOnlySpan<byte> info) && Flat(info)
                : reader.TrySkip(wire);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SetPrice(double value, out Price price)
    {
        price = Price.None;
        if (!double.IsFinite(value) || value < 0 || value > MaxPrice)
        {
            return false;
        }

        if (value > 0)
        {
            price = Price.FromRaw(FixedPoint.FromDouble(value));
        }

        return true;
    }

    private static bool Assign(ref Tick tick, Price value, PriceSetter set)
    {
        if (value.HasValue)
        {
            set(ref tick, value);
        }

        return true;
    }

    private static bool SetTime(long epochMs, ref Tick tick)
    {
        if (epochMs < 0 || epochMs > 253_402_300_799_000)
        {
            return false;
        }

        if (epochMs > 0)
        {
            tick.ExchangeTime = DateTime.UnixEpoch.AddTicks(epochMs * TimeSpan.TicksPerMillisecond);
        }

        return true;
    }

    private static bool SetQuantity(long units, ref Tick tick, bool volume)
    {
        if (units is < 0 or > (long)MaxQuantity)
        {
            return false;
        }

        if (units > 0)
        {
            if (volume)
            {
                tick.Volume = Quantity.FromUnits(units);
                tick.Flags |= TickFlags.CumulativeVolume;
            }
            else
            {
                tick.Ltq = Quantity.FromUnits(units);
            }
        }

        return true;
    }

    private static bool SetOpenInterest(double value, ref Tick tick)
    {
        if (!double.IsFinite(value) || value < 0 || value > MaxQuantity)
        {
            return false;
        }

        if (value > 0)
        {
            tick.Oi = Quantity.FromRaw(FixedPoint.FromDouble(value));
        }

        return true;
    }

    private delegate void PriceSetter(ref Tick tick, Price price);

    private struct GreeksParts
    {
        public bool Present;
        public double Delta;
        public double Theta;
        public double Gamma;
        public double Vega;
        public double Iv;
    }
}
