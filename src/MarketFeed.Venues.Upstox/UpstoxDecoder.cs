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
public sealed partial class UpstoxDecoder(Func<UpstoxKeyMap> keys, UpstoxMarketSessions sessions)
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
}
