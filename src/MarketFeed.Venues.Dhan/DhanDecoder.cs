using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Decodes the main feed's binary frames: packets back to back, each an 8-byte little-endian header (code, whole
/// packet length, segment, security id) and its body. A frame may hold several packets; a packet whose length
/// disagrees with its code, or whose price is not a finite non-negative number, is skipped by its length and
/// counted; an unknown code is skipped and counted; a length that runs past the frame stops decoding (the rest
/// cannot be framed). float32 prices become exact prices on the instrument's tick size once, here; Dhan's timestamps
/// (IST wall clock written as if it were UTC epoch seconds) become true instants. Nothing here allocates.
/// </summary>
internal static class DhanDecoder
{
    /// <summary>IST is UTC+05:30 all year: the shift between Dhan's "IST as epoch" seconds and true epoch seconds.</summary>
    public const int IstOffsetSeconds = 19_800;

    /// <summary>Prices above this are not prices (float noise from a corrupt packet, not a quote): the packet is refused.</summary>
    private const double MaxPrice = 1e9;

    /// <summary>1.5 × 2^52: see <see cref="RoundToWhole"/>.</summary>
    private const double RoundingShift = 6_755_399_441_055_744.0;

    /// <summary>A full packet's depth level: 20 bytes of bid qty, ask qty, bid orders, ask orders, bid price, ask price.</summary>
    private const int DepthLevelLength = 20;

    /// <summary>The bits of 1e9 as a float32 (exactly representable).</summary>
    private static readonly uint MaxPriceBits = BitConverter.SingleToUInt32Bits((float)MaxPrice);

    public static DhanFrameStats DecodeFrame<THandler>(ReadOnlySpan<byte> frame, DhanSecurityMap map, DateTime receivedUtc, ref THandler handler)
        where THandler : IDhanTickHandler
    {
        int offset = 0;
        int decoded = 0;
        int bad = 0;
        int unknown = 0;
        while (offset < frame.Length)
        {
            if (frame.Length - offset < DhanPacket.HeaderLength)
            {
                return new DhanFrameStats(decoded, bad, unknown, Truncated: true);
            }

            byte code = frame[offset];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(frame[(offset + 1)..]);
            if (length < DhanPacket.HeaderLength || length > frame.Length - offset)
            {
                return new DhanFrameStats(decoded, bad, unknown, Truncated: true);
            }

            ReadOnlySpan<byte> packet = frame.Slice(offset, length);
            offset += length;
            int expected = DhanPacket.LengthOf(code);
            if (expected == 0)
            {
                unknown++;
                continue;
            }

            if (length != expected)
            {
                bad++;
                continue;
            }

            switch (code)
            {
                case DhanPacket.MarketStatus:
                    continue;
                case DhanPacket.Disconnect:
                    handler.OnDisconnect(BinaryPrimitives.ReadInt16LittleEndian(packet[8..]));
                    return new DhanFrameStats(decoded, bad, unknown, Truncated: false);
            }

            byte segment = packet[3];
            int securityId = BinaryPrimitives.ReadInt32LittleEndian(packet[4..]);
            if (!map.TryGet(segment, securityId, out DhanSecurity security))
            {
                handler.OnUnknownSecurity(segment, securityId);
                continue;
            }

            if (code == DhanPacket.PrevClose)
            {
                if (TryPrice(Float(ref MemoryMarshal.GetReference(packet), 8), in security, out Price close))
                {
                    handler.OnPrevClose(in security, close, Units(Int(ref MemoryMarshal.GetReference(packet), 12)));
                    decoded++;
                }
                else
                {
                    bad++;
                }

                continue;
            }

            if (code == DhanPacket.Oi)
            {
                handler.OnOpenInterest(in security, Units(Int(ref MemoryMarshal.GetReference(packet), 8)));
                decoded++;
                continue;
            }

            // The code is a tick code and the length the code's own (both checked above): DecodeTick may read it unchecked.
            if (DecodeTick(ref MemoryMarshal.GetReference(packet), code, in security, map.PrevClose(security.Slot), code == DhanPacket.Quote ? map.OpenInterest(security.Slot) : Quantity.None, receivedUtc, out Tick tick))
            {
                handler.OnTick(in tick);
                decoded++;
            }
            else
            {
                bad++;
            }
        }

        return new DhanFrameStats(decoded, bad, unknown, Truncated: false);
    }

    /// <summary>
    /// Decodes one ticker, quote or full packet of the right length into a tick, with the security's previous close
    /// and (quote mode) last open interest. False when a price in it is not a finite, non-negative number below a
    /// billion (a corrupt packet, never a silent wrong price).
    /// </summary>
    public static bool TryDecodePacket(ReadOnlySpan<byte> packet, in DhanSecurity security, Price prevClose, Quantity oi, DateTime receivedUtc, out Tick tick)
    {
        if (packet.Length < DhanPacket.HeaderLength || packet[0] is not (DhanPacket.Ticker or DhanPacket.Quote or DhanPacket.Full) || packet.Length != DhanPacket.LengthOf(packet[0]))
        {
            ThrowNotATickPacket(packet);
        }

        return DecodeTick(ref MemoryMarshal.GetReference(packet), packet[0], in security, prevClose, oi, receivedUtc, out tick);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotATickPacket(ReadOnlySpan<byte> packet) =>
        throw new ArgumentException($"not a whole Dhan tick packet: code {(packet.Length > 0 ? packet[0] : 0)}, {packet.Length} bytes", nameof(packet));

    /// <summary>The work of <see cref="TryDecodePacket"/> on a packet already known to be a ticker, quote or full packet of its code's length.</summary>
    private static bool DecodeTick(ref byte p, byte code, in DhanSecurity security, Price prevClose, Quantity oi, DateTime receivedUtc, out Tick tick)
    {
        // Built in place: `tick = new Tick(...)` would build a temporary and copy its ~450 bytes into the out parameter.
        Unsafe.SkipInit(out tick);
        tick.Reset(security.Instrument);
        tick.ReceiveTime = receivedUtc;
        tick.Source = TickSource.Stream;
        tick.Close = prevClose;
        bool ok = true;
        switch (code)
        {
            case DhanPacket.Ticker:
                tick.Mode = FeedMode.Ltp;
                tick.Updates = TickFields.Trade;
                ok &= TryPrice(Float(ref p, 8), in security, out Price ltp);
                tick.Ltp = ltp;
                tick.ExchangeTime = Time(ref p, 12);
                break;
            case DhanPacket.Quote:
                tick.Mode = FeedMode.Quote;
                tick.Updates = oi.HasValue ? TickFields.Trade | TickFields.DayStats | TickFields.OpenInterest : TickFields.Trade | TickFields.DayStats;
                tick.Oi = oi;
                ok &= ReadTrade(ref p, in security, ref tick);
                ok &= TryPrice(Float(ref p, 34), in security, out Price open);
                ok &= TryPrice(Float(ref p, 42), in security, out Price high);
                ok &= TryPrice(Float(ref p, 46), in security, out Price low);
                (tick.Open, tick.High, tick.Low) = (open, high, low);
                break;
            case DhanPacket.Full:
                tick.Mode = FeedMode.Full;
                tick.Updates = TickFields.All;
                ok &= ReadTrade(ref p, in security, ref tick);
                tick.Oi = Units(Int(ref p, 34));
                ok &= TryPrice(Float(ref p, 46), in security, out Price fullOpen);
                ok &= TryPrice(Float(ref p, 54), in security, out Price fullHigh);
                ok &= TryPrice(Float(ref p, 58), in security, out Price fullLow);
                (tick.Open, tick.High, tick.Low) = (fullOpen, fullHigh, fullLow);
                ok &= ReadDepth(ref p, in security, ref tick);
                break;
            default:
                Debug.Fail($"code {code} carries no tick: the caller checks the code");
                break;
        }

        if (!tick.Ltp.HasValue)
        {
            // No trade yet today (LTP 0): whatever else the packet says, it says nothing about a last price.
            tick.Updates &= ~TickFields.Trade;
        }

        return ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadTrade(ref byte p, in DhanSecurity security, ref Tick tick)
    {
        bool ok = TryPrice(Float(ref p, 8), in security, out Price ltp);
        ok &= TryPrice(Float(ref p, 18), in security, out Price atp);
        tick.Ltp = ltp;
        tick.Atp = atp;
        tick.Ltq = Quantity.FromRaw(UShort(ref p, 12) * FixedPoint.Factor);
        tick.ExchangeTime = Time(ref p, 14);
        tick.Volume = Units(Int(ref p, 22));
        tick.Flags = TickFlags.CumulativeVolume;
        return ok;
    }

    /// <summary>
    /// Five 20-byte levels from offset 62: bid qty, ask qty, bid orders, ask orders, bid price, ask price. A price of 0
    /// or below (Dhan sends 0 or a small negative sentinel, −0.01, for an empty level) ends its side; NaN or infinity
    /// refuses the packet.
    /// </summary>
    private static bool ReadDepth(ref byte p, in DhanSecurity security, ref Tick tick)
    {
        bool ok = true;
        int bids = ReadSide(ref p, 74, 62, 70, in security, ref tick.Depth.Bids, ref ok);
        int asks = ReadSide(ref p, 78, 66, 72, in security, ref tick.Depth.Asks, ref ok);
        tick.Depth.BidCount = bids;
        tick.Depth.AskCount = asks;
        if (bids > 0)
        {
            (tick.Bid, tick.BidQty) = (tick.Depth.Bids[0].Price, tick.Depth.Bids[0].Quantity);
        }

        if (asks > 0)
        {
            (tick.Ask, tick.AskQty) = (tick.Depth.Asks[0].Price, tick.Depth.Asks[0].Quantity);
        }

        return ok;
    }

    /// <summary>
    /// One side of the five levels (its price, quantity and order-count offsets in the first level); returns how many
    /// levels it has. Every level is decoded without a branch — one that holds no price decodes to a meaningless level —
    /// and then the side is cut at the first level without a price and what lies past the cut is cleared: on a path
    /// where most packets carry five levels a side, that is far fewer instructions than stopping level by level.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadSide(ref byte p, int priceAt, int quantityAt, int ordersAt, in DhanSecurity security, ref DepthLevels levels, ref bool ok)
    {
        uint priced = ReadLevel(ref p, 0, priceAt, quantityAt, ordersAt, in security, ref levels)
            | ReadLevel(ref p, 1, priceAt, quantityAt, ordersAt, in security, ref levels)
            | ReadLevel(ref p, 2, priceAt, quantityAt, ordersAt, in security, ref levels)
            | ReadLevel(ref p, 3, priceAt, quantityAt, ordersAt, in security, ref levels)
            | ReadLevel(ref p, 4, priceAt, quantityAt, ordersAt, in security, ref levels);
        int count = BitOperations.TrailingZeroCount(~priced);
        if (count < DhanPacket.DepthLevels)
        {
            // 0 or Dhan's small negative sentinel (−0.01) is an empty level and ends the side; NaN, infinity or an
            // absurd price refuses the packet.
            float end = Float(ref p, priceAt + (DepthLevelLength * count));
            ok &= end <= 0 && float.IsFinite(end);
            for (int level = count; level < DhanPacket.DepthLevels; level++)
            {
                levels[level] = default;
            }
        }

        return count;
    }

    /// <summary>Decodes level <paramref name="level"/> whatever it holds; returns its bit when it holds a price.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadLevel(ref byte p, int level, int priceAt, int quantityAt, int ordersAt, in DhanSecurity security, ref DepthLevels levels)
    {
        int at = DepthLevelLength * level;
        float price = Float(ref p, priceAt + at);

        // Not Exact(): its range assertion would trip on the meaningless prices of empty levels, which are cleared later.
        long raw = security.TicksPerUnit > 0
            ? (BitConverter.DoubleToInt64Bits((price * security.TicksPerUnit) + RoundingShift) - BitConverter.DoubleToInt64Bits(RoundingShift)) * security.TickSize.Raw
            : (long)Math.Round(price * (double)FixedPoint.Factor);
        levels[level] = new DepthLevel(Price.FromRaw(raw), Units(Int(ref p, quantityAt + at)), UShort(ref p, ordersAt + at));
        return IsPrice(price) ? 1u << level : 0;
    }

    /// <summary>
    /// 0 is "none" (no trade yet); a finite price in (0, 1e9) becomes exact on the tick size — the nearest whole
    /// number of ticks, by one multiplication — and anything else is refused.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryPrice(double value, in DhanSecurity security, out Price price)
    {
        if (value > 0 && value < MaxPrice)
        {
            price = Exact(value, in security);
            return true;
        }

        price = Price.None;
        return value == 0;
    }

    /// <summary>
    /// The float32 form of <see cref="TryPrice(double, in DhanSecurity, out Price)"/>, with the range test done as one
    /// unsigned comparison of the bits: positive floats order like their bit patterns, and 0, negatives, NaN and the
    /// infinities all land outside [bits of the smallest positive float, bits of 1e9).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryPrice(float value, in DhanSecurity security, out Price price)
    {
        if (IsPrice(value))
        {
            price = Exact(value, in security);
            return true;
        }

        price = Price.None;
        return value == 0;
    }

    /// <summary>A finite number in (0, 1e9): one unsigned comparison of the bits (see <see cref="TryPrice(float, in DhanSecurity, out Price)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPrice(float value) => BitConverter.SingleToUInt32Bits(value) - 1 < MaxPriceBits - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Price Exact(double value, in DhanSecurity security) =>
        security.TicksPerUnit > 0
            ? Price.FromRaw(RoundToWhole(value * security.TicksPerUnit) * security.TickSize.Raw)
            : Price.FromRaw((long)Math.Round(value * FixedPoint.Factor));

    /// <summary>
    /// The nearest whole number (ties to even, as <see cref="Math.Round(double)"/>) of a value in [0, 2^51): adding
    /// 1.5 × 2^52 pushes the fraction out of the mantissa, leaving the rounded integer in its low bits. Several times
    /// cheaper than a round and a saturating conversion, and exact for every tick count a price below 1e9 can have
    /// (1e9 × 10,000 ticks per unit is far below 2^51).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long RoundToWhole(double value)
    {
        Debug.Assert(value >= 0 && value < 2_251_799_813_685_248.0, "only non-negative values below 2^51 round this way");
        return BitConverter.DoubleToInt64Bits(value + RoundingShift) - BitConverter.DoubleToInt64Bits(RoundingShift);
    }

    /// <summary>IST-as-epoch seconds to a UTC instant; 0 means none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DateTime FromIstEpoch(uint seconds) =>
        seconds <= IstOffsetSeconds ? default : DateTime.UnixEpoch.AddTicks((seconds - IstOffsetSeconds) * TimeSpan.TicksPerSecond);

    private static DateTime Time(ref byte p, int offset) => FromIstEpoch((uint)Int(ref p, offset));

    private static Quantity Units(int value) => Quantity.FromRaw((long)(uint)value * FixedPoint.Factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Int(ref byte p, int offset)
    {
        int raw = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? raw : BinaryPrimitives.ReverseEndianness(raw);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort UShort(ref byte p, int offset)
    {
        ushort raw = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? raw : BinaryPrimitives.ReverseEndianness(raw);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Float(ref byte p, int offset) => BitConverter.Int32BitsToSingle(Int(ref p, offset));
}
