using System.Buffers.Binary;
using System.Text;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Journal;
using MarketFeed.Model;

namespace MarketFeed.Bus.Contract;

/// <summary>
/// Decodes batches of any minor version of this major: the CRC first (a damaged message is refused whole, nothing of
/// it applied), then the header (fields a newer minor appended are skipped by the header length), then each event
/// (fields appended to a kind are skipped by the event length; kinds added later reach
/// <see cref="IBusEventVisitor.OnUnknownKind"/>). Symbols are interned, so a steady stream allocates no strings.
/// </summary>
public sealed class BusBatchReader
{
    private static readonly long Absent = Price.None.Raw;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public BusBatchReader() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The header alone (no CRC check): what a message claims to be, for reporting one that cannot be read.</summary>
    public static string Describe(ReadOnlySpan<byte> message)
    {
        if (message.Length < BusBatchWriter.PreambleBytes || !message.StartsWith(BusContract.Magic))
        {
            return $"{message.Length} bytes, not a MarketFeed batch (first bytes {Convert.ToHexString(message[..Math.Min(8, message.Length)])})";
        }

        return $"{message.Length} bytes, contract {message[2]}.{message[3]}";
    }

    /// <exception cref="BusContractException">Damaged, truncated, or of another major version.</exception>
    public BusBatchHeader Read(ReadOnlySpan<byte> message, IBusEventVisitor visitor)
    {
        BusBatchHeader header = ReadHeader(message, out int at);
        if (!visitor.OnBatch(in header))
        {
            return header;
        }

        ReadOnlySpan<byte> events = message[..^4];
        for (int i = 0; i < header.Count; i++)
        {
            if (at + 3 > events.Length)
            {
                throw Damaged($"event {i + 1} of {header.Count} is cut off", header);
            }

            byte kind = events[at];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(events[(at + 1)..]);
            at += 3;
            if (at + length > events.Length)
            {
                throw Damaged($"event {i + 1} of {header.Count} claims {length} bytes past the end", header);
            }

            ReadEvent(kind, events.Slice(at, length), visitor, header);
            at += length;
        }

        return header;
    }

    /// <exception cref="BusContractException">Damaged, truncated, or of another major version.</exception>
    public BusBatchHeader ReadHeader(ReadOnlySpan<byte> message, out int eventsAt)
    {
        if (message.Length < BusBatchWriter.PreambleBytes + BusBatchWriter.FixedHeaderBytes + 2 + 4 || !message.StartsWith(BusContract.Magic))
        {
            throw new BusContractException($"not a batch: {Describe(message)}");
        }

        byte major = message[2];
        byte minor = message[3];
        if (major != BusContract.Major)
        {
            throw new BusContractException($"contract {major}.{minor} (this consumer reads {BusContract.Major}.x): {message.Length} bytes", unknownVersion: true);
        }

        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(message[^4..]);
        if (Crc32C.Compute(message[..^4]) != crc)
        {
            throw new BusContractException($"damaged: CRC mismatch over {Describe(message)}");
        }

        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
        int headerAt = BusBatchWriter.PreambleBytes;
        if (headerAt + headerLength > message.Length - 4 || headerLength < BusBatchWriter.FixedHeaderBytes + 2)
        {
            throw new BusContractException($"damaged: a header of {headerLength} bytes in {Describe(message)}");
        }

        ReadOnlySpan<byte> h = message.Slice(headerAt, headerLength);
        int o = BusBatchWriter.FixedHeaderBytes;
        string gateway = Str8(h, ref o);
        string venue = Str8(h, ref o);
        eventsAt = headerAt + headerLength;
        return new BusBatchHeader(
            major,
            minor,
            BinaryPrimitives.ReadUInt32LittleEndian(h),
            BinaryPrimitives.ReadUInt16LittleEndian(h[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(h[6..]),
            BinaryPrimitives.ReadInt64LittleEndian(h[8..]),
            new DateTime(BinaryPrimitives.ReadInt64LittleEndian(h[16..]), DateTimeKind.Utc),
            BinaryPrimitives.ReadUInt16LittleEndian(h[24..]),
            (BusChannel)h[26],
            gateway,
            venue);
    }

    private void ReadEvent(byte kind, ReadOnlySpan<byte> d, IBusEventVisitor visitor, in BusBatchHeader batch)
    {
        int o = 0;
        try
        {
            if (kind == (byte)BusEventKind.Heartbeat)
            {
                visitor.OnHeartbeat(d[0] != 0, (int)BinaryPrimitives.ReadUInt32LittleEndian(d[1..]));
                return;
            }

            if (kind is 0 or > (byte)BusEventKind.Heartbeat)
            {
                visitor.OnUnknownKind(kind);
                return;
            }

            var header = new BusEvent(Symbol(d, ref o), I64(d, ref o), (d[o++] & BusBatchWriter.StateRoundFlag) != 0);
            switch ((BusEventKind)kind)
            {
                case BusEventKind.Tick:
                    Tick tick = ReadTick(d, ref o);
                    visitor.OnTick(in header, in tick);
                    break;
                case BusEventKind.Book:
                    visitor.OnBook(in header, ReadBook(d, ref o));
                    break;
                case BusEventKind.CandleClosed or BusEventKind.CandleRevised:
                    string label = Str8(d, ref o);
                    if (!CandleInterval.TryParse(label, out CandleInterval interval, out _))
                    {
                        throw Damaged($"a candle of unknown interval '{label}'", batch);
                    }

                    long candleSeq = I64(d, ref o);
                    var candle = new Candle(Time(d, ref o), Time(d, ref o), P(d, ref o), P(d, ref o), P(d, ref o), P(d, ref o), Quantity.FromRaw(I64(d, ref o)), I32(d, ref o), (CandleFlags)I32(d, ref o));
                    visitor.OnCandle(in header, interval, in candle, candleSeq, kind == (byte)BusEventKind.CandleRevised);
                    break;
                case BusEventKind.Health:
                    var state = (InstrumentHealthState)d[o++];
                    bool hasError = d[o++] != 0;
                    int length = BinaryPrimitives.ReadUInt16LittleEndian(d[o..]);
                    o += 2;
                    visitor.OnHealth(in header, state, hasError ? Encoding.UTF8.GetString(d.Slice(o, length)) : null);
                    break;
                case BusEventKind.Instrument:
                    visitor.OnInstrument(in header, JournalInstrumentCodec.Read(d[o..]));
                    break;
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or JournalException)
        {
            throw Damaged($"a {(BusEventKind)kind} event of {d.Length} bytes that cannot be read ({e.Message})", batch);
        }
    }

    private static Tick ReadTick(ReadOnlySpan<byte> d, ref int o)
    {
        var tick = new Tick(default)
        {
            Seq = I64(d, ref o),
            VenueSequence = I64(d, ref o),
            ExchangeTime = Time(d, ref o),
            ReceiveTime = Time(d, ref o),
            Source = (TickSource)d[o++],
            Mode = (FeedMode)d[o++],
        };
        tick.Flags = (TickFlags)BinaryPrimitives.ReadUInt16LittleEndian(d[o..]);
        o += 2;
        tick.Updates = (TickFields)d[o++];
        int present = BinaryPrimitives.ReadUInt16LittleEndian(d[o..]);
        o += 2;
        Span<long> v = stackalloc long[13];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (present & (1 << i)) != 0 ? I64(d, ref o) : Absent;
        }

        tick.Ltp = Price.FromRaw(v[0]);
        tick.Ltq = Quantity.FromRaw(v[1]);
        tick.Atp = Price.FromRaw(v[2]);
        tick.Volume = Quantity.FromRaw(v[3]);
        tick.Bid = Price.FromRaw(v[4]);
        tick.BidQty = Quantity.FromRaw(v[5]);
        tick.Ask = Price.FromRaw(v[6]);
        tick.AskQty = Quantity.FromRaw(v[7]);
        tick.Open = Price.FromRaw(v[8]);
        tick.High = Price.FromRaw(v[9]);
        tick.Low = Price.FromRaw(v[10]);
        tick.Close = Price.FromRaw(v[11]);
        tick.Oi = Quantity.FromRaw(v[12]);
        if (d[o++] != 0)
        {
            tick.Greeks = new OptionGreeks(F64(d, ref o), F64(d, ref o), F64(d, ref o), F64(d, ref o), F64(d, ref o));
        }

        int bids = d[o++];
        int asks = d[o++];
        if (bids > MarketDepth.Levels || asks > MarketDepth.Levels)
        {
            throw new ArgumentOutOfRangeException(nameof(d), $"{bids}/{asks} depth levels");
        }

        for (int i = 0; i < bids; i++)
        {
            tick.Depth.SetBid(i, new DepthLevel(P(d, ref o), Quantity.FromRaw(I64(d, ref o)), I32(d, ref o)));
        }

        for (int i = 0; i < asks; i++)
        {
            tick.Depth.SetAsk(i, new DepthLevel(P(d, ref o), Quantity.FromRaw(I64(d, ref o)), I32(d, ref o)));
        }

        return tick;
    }

    private static BookUpdate ReadBook(ReadOnlySpan<byte> d, ref int o)
    {
        BookUpdate book = BookUpdate.Rent();
        try
        {
            book.IsSnapshot = d[o++] != 0;
            book.FirstUpdateId = I64(d, ref o);
            book.LastUpdateId = I64(d, ref o);
            bool hasChecksum = d[o++] != 0;
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(d[o..]);
            o += 4;
            book.Checksum = hasChecksum ? checksum : null;
            book.ExchangeTime = Time(d, ref o);
            book.ReceiveTime = Time(d, ref o);
            book.Source = (TickSource)d[o++];
            int bids = BinaryPrimitives.ReadUInt16LittleEndian(d[o..]);
            int asks = BinaryPrimitives.ReadUInt16LittleEndian(d[(o + 2)..]);
            o += 4;
            if (d.Length - o < (bids + asks) * 16)
            {
                throw new ArgumentOutOfRangeException(nameof(d), $"{bids}/{asks} book levels in {d.Length} bytes");
            }

            for (int i = 0; i < bids; i++)
            {
                book.AddBid(P(d, ref o), Quantity.FromRaw(I64(d, ref o)));
            }

            for (int i = 0; i < asks; i++)
            {
                book.AddAsk(P(d, ref o), Quantity.FromRaw(I64(d, ref o)));
            }

            return book;
        }
        catch
        {
            BookUpdate.Return(book);
            throw;
        }
    }

    private string Symbol(ReadOnlySpan<byte> d, ref int o)
    {
        int length = d[o];
        ReadOnlySpan<byte> utf8 = d.Slice(o + 1, length);
        o += 1 + length;
        Span<char> chars = stackalloc char[256];
        int count = Encoding.UTF8.GetChars(utf8, chars);
        if (_lookup.TryGetValue(chars[..count], out string? known))
        {
            return known;
        }

        string symbol = new(chars[..count]);
        if (_names.Count < 1_000_000)
        {
            _names[symbol] = symbol;
        }

        return symbol;
    }

    private static string Str8(ReadOnlySpan<byte> d, ref int o)
    {
        int length = d[o];
        string text = Encoding.UTF8.GetString(d.Slice(o + 1, length));
        o += 1 + length;
        return text;
    }

    private static long I64(ReadOnlySpan<byte> d, ref int o)
    {
        long value = BinaryPrimitives.ReadInt64LittleEndian(d[o..]);
        o += 8;
        return value;
    }

    private static int I32(ReadOnlySpan<byte> d, ref int o)
    {
        int value = BinaryPrimitives.ReadInt32LittleEndian(d[o..]);
        o += 4;
        return value;
    }

    private static double F64(ReadOnlySpan<byte> d, ref int o)
    {
        double value = BinaryPrimitives.ReadDoubleLittleEndian(d[o..]);
        o += 8;
        return value;
    }

    private static Price P(ReadOnlySpan<byte> d, ref int o) => Price.FromRaw(I64(d, ref o));

    private static DateTime Time(ReadOnlySpan<byte> d, ref int o)
    {
        long ticks = I64(d, ref o);
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks)
        {
            throw new ArgumentOutOfRangeException(nameof(d), $"a time of {ticks} ticks");
        }

        return new DateTime(ticks, DateTimeKind.Utc);
    }

    private static BusContractException Damaged(string what, in BusBatchHeader batch) =>
        new($"damaged: {what} (batch {batch.BatchSeq} of {batch.GatewayId} epoch {batch.Epoch}, shard {batch.Shard})");
}
