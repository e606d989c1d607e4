using System.Buffers.Binary;
using System.Text;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Journal;

/// <summary>
/// Normalized events as journal payloads, little-endian. Instrument ids are per process, so every event names its
/// instrument by canonical symbol (a length-prefixed UTF-8 string first); prices and quantities are their raw
/// fixed-point values, so a replayed tick is the recorded one to the last digit. <see cref="Version"/> is written as the
/// normalized log's decoder version.
/// </summary>
public static class JournalEventCodec
{
    public const uint Version = 1;

    private const int TickFixedBytes = 8 * 4 + 8 * 14 + 6 + 2;
    private const int LevelBytes = 20;
    private const int GreeksBytes = 5 * 8;
    private const byte HasGreeks = 1;

    /// <summary>Bytes <see cref="WriteTick"/> needs at most for a tick of <paramref name="symbol"/>.</summary>
    public static int MaxTickBytes(string symbol) => 1 + Encoding.UTF8.GetMaxByteCount(symbol.Length) + TickFixedBytes + GreeksBytes + (2 * MarketDepth.Levels * LevelBytes);

    public static int WriteTick(Span<byte> destination, in Tick tick, string symbol)
    {
        int at = WriteSymbol(destination, symbol);
        Span<byte> d = destination[at..];
        BinaryPrimitives.WriteInt64LittleEndian(d, tick.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(d[8..], tick.VenueSequence);
        BinaryPrimitives.WriteInt64LittleEndian(d[16..], tick.ExchangeTime.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(d[24..], tick.ReceiveTime.Ticks);
        ReadOnlySpan<long> values =
        [
            tick.Ltp.Raw, tick.Ltq.Raw, tick.Atp.Raw, tick.Volume.Raw, tick.Bid.Raw, tick.BidQty.Raw, tick.Ask.Raw,
            tick.AskQty.Raw, tick.Open.Raw, tick.High.Raw, tick.Low.Raw, tick.Close.Raw, tick.Oi.Raw, 0,
        ];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(d[(32 + (8 * i))..], values[i]);
        }

        int o = 32 + (8 * values.Length);
        d[o] = (byte)tick.Source;
        d[o + 1] = (byte)tick.Mode;
        BinaryPrimitives.WriteUInt16LittleEndian(d[(o + 2)..], (ushort)tick.Flags);
        d[o + 4] = (byte)tick.Updates;
        d[o + 5] = tick.Greeks.HasValue ? HasGreeks : (byte)0;
        d[o + 6] = (byte)tick.Depth.BidCount;
        d[o + 7] = (byte)tick.Depth.AskCount;
        o += 8;
        if (tick.Greeks is { } greeks)
        {
            ReadOnlySpan<double> greekValues = [greeks.Delta, greeks.Gamma, greeks.Theta, greeks.Vega, greeks.Iv];
            foreach (double value in greekValues)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(d[o..], value);
                o += 8;
            }
        }

        for (int i = 0; i < tick.Depth.BidCount; i++)
        {
            o += WriteLevel(d[o..], tick.Depth.Bids[i]);
        }

        for (int i = 0; i < tick.Depth.AskCount; i++)
        {
            o += WriteLevel(d[o..], tick.Depth.Asks[i]);
        }

        return at + o;
    }

    /// <exception cref="JournalException">The payload is not a tick of this version.</exception>
    public static Tick ReadTick(ReadOnlySpan<byte> payload, out string symbol)
    {
        int at = ReadSymbol(payload, out symbol);
        ReadOnlySpan<byte> d = payload[at..];
        if (d.Length < TickFixedBytes)
        {
            throw new JournalException($"a tick record of {payload.Length} bytes is too short");
        }

        var tick = new Tick(default)
        {
            Seq = BinaryPrimitives.ReadInt64LittleEndian(d),
            VenueSequence = BinaryPrimitives.ReadInt64LittleEndian(d[8..]),
            ExchangeTime = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(d[16..]), DateTimeKind.Utc),
            ReceiveTime = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(d[24..]), DateTimeKind.Utc),
            Ltp = Price.FromRaw(Long(d, 0)),
            Ltq = Quantity.FromRaw(Long(d, 1)),
            Atp = Price.FromRaw(Long(d, 2)),
            Volume = Quantity.FromRaw(Long(d, 3)),
            Bid = Price.FromRaw(Long(d, 4)),
            BidQty = Quantity.FromRaw(Long(d, 5)),
            Ask = Price.FromRaw(Long(d, 6)),
            AskQty = Quantity.FromRaw(Long(d, 7)),
            Open = Price.FromRaw(Long(d, 8)),
            High = Price.FromRaw(Long(d, 9)),
            Low = Price.FromRaw(Long(d, 10)),
            Close = Price.FromRaw(Long(d, 11)),
            Oi = Quantity.FromRaw(Long(d, 12)),
        };
        int o = 32 + (8 * 14);
        tick.Source = (TickSource)d[o];
        tick.Mode = (FeedMode)d[o + 1];
        tick.Flags = (TickFlags)BinaryPrimitives.ReadUInt16LittleEndian(d[(o + 2)..]);
        tick.Updates = (TickFields)d[o + 4];
        bool greeks = (d[o + 5] & HasGreeks) != 0;
        int bids = d[o + 6];
        int asks = d[o + 7];
        o += 8;
        if (greeks)
        {
            if (d.Length < o + GreeksBytes)
            {
                throw new JournalException($"a tick record with Greeks in {payload.Length} bytes");
            }

            tick.Greeks = new OptionGreeks(Double(d, o), Double(d, o + 8), Double(d, o + 16), Double(d, o + 24), Double(d, o + 32));
            o += GreeksBytes;
        }

        if (bids > MarketDepth.Levels || asks > MarketDepth.Levels || d.Length < o + ((bids + asks) * LevelBytes))
        {
            throw new JournalException($"a tick record with {bids}/{asks} depth levels in {payload.Length} bytes");
        }

        for (int i = 0; i < bids; i++, o += LevelBytes)
        {
            tick.Depth.SetBid(i, ReadLevel(d[o..]));
        }

        for (int i = 0; i < asks; i++, o += LevelBytes)
        {
            tick.Depth.SetAsk(i, ReadLevel(d[o..]));
        }

        return tick;
    }

    public static int MaxCandleBytes(string symbol, CandleInterval interval) =>
        1 + Encoding.UTF8.GetMaxByteCount(symbol.Length) + 1 + Encoding.UTF8.GetMaxByteCount(interval.Label.Length) + (8 * 8) + 8;

    public static int WriteCandle(Span<byte> destination, string symbol, CandleInterval interval, in Candle candle, long seq)
    {
        int at = WriteSymbol(destination, symbol);
        at += WriteSymbol(destination[at..], interval.Label);
        Span<byte> d = destination[at..];
        ReadOnlySpan<long> values = [seq, candle.Start.Ticks, candle.End.Ticks, candle.Open.Raw, candle.High.Raw, candle.Low.Raw, candle.Close.Raw, candle.Volume.Raw];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(d[(8 * i)..], values[i]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(d[64..], candle.Ticks);
        BinaryPrimitives.WriteInt32LittleEndian(d[68..], (int)candle.Flags);
        return at + 72;
    }

    /// <exception cref="JournalException">The payload is not a candle of this version.</exception>
    public static Candle ReadCandle(ReadOnlySpan<byte> payload, out string symbol, out CandleInterval interval, out long seq)
    {
        int at = ReadSymbol(payload, out symbol);
        at += ReadSymbol(payload[at..], out string label);
        ReadOnlySpan<byte> d = payload[at..];
        if (d.Length < 72 || !CandleInterval.TryParse(label, out interval, out _))
        {
            throw new JournalException($"a candle record of {payload.Length} bytes that cannot be read");
        }

        static long Read(ReadOnlySpan<byte> d, int i) => BinaryPrimitives.ReadInt64LittleEndian(d[(8 * i)..]);
        seq = Read(d, 0);
        return new Candle(
            new DateTime(Read(d, 1), DateTimeKind.Utc),
            new DateTime(Read(d, 2), DateTimeKind.Utc),
            Price.FromRaw(Read(d, 3)),
            Price.FromRaw(Read(d, 4)),
            Price.FromRaw(Read(d, 5)),
            Price.FromRaw(Read(d, 6)),
            Quantity.FromRaw(Read(d, 7)),
            BinaryPrimitives.ReadInt32LittleEndian(d[64..]),
            (CandleFlags)BinaryPrimitives.ReadInt32LittleEndian(d[68..]));
    }

    /// <summary>The i-th price or quantity of a tick (after the four 8-byte sequence and time fields).</summary>
    private static long Long(ReadOnlySpan<byte> d, int index) => BinaryPrimitives.ReadInt64LittleEndian(d[(32 + (8 * index))..]);

    private static double Double(ReadOnlySpan<byte> d, int at) => BinaryPrimitives.ReadDoubleLittleEndian(d[at..]);

    private static int WriteSymbol(Span<byte> destination, string symbol)
    {
        int length = Encoding.UTF8.GetBytes(symbol, destination[1..]);
        if (length > byte.MaxValue)
        {
            throw new ArgumentException($"a symbol of at most 255 UTF-8 bytes, not {length}", nameof(symbol));
        }

        destination[0] = (byte)length;
        return 1 + length;
    }

    private static int ReadSymbol(ReadOnlySpan<byte> payload, out string symbol)
    {
        if (payload.IsEmpty || payload.Length < 1 + payload[0])
        {
            throw new JournalException($"an event record of {payload.Length} bytes without its symbol");
        }

        symbol = Encoding.UTF8.GetString(payload.Slice(1, payload[0]));
        return 1 + payload[0];
    }

    private static int WriteLevel(Span<byte> d, DepthLevel level)
    {
        BinaryPrimitives.WriteInt64LittleEndian(d, level.Price.Raw);
        BinaryPrimitives.WriteInt64LittleEndian(d[8..], level.Quantity.Raw);
        BinaryPrimitives.WriteInt32LittleEndian(d[16..], level.Orders);
        return LevelBytes;
    }

    private static DepthLevel ReadLevel(ReadOnlySpan<byte> d) =>
        new(Price.FromRaw(BinaryPrimitives.ReadInt64LittleEndian(d)), Quantity.FromRaw(BinaryPrimitives.ReadInt64LittleEndian(d[8..])), BinaryPrimitives.ReadInt32LittleEndian(d[16..]));
}
