using System.Buffers.Binary;
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
                    handler.OnPrevClose(in security, close);
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

            if (TryDecodePacket(packet, security, map.PrevClose(security.Slot), map.OpenInterest(security.Slot), receivedUtc, out Tick tick))
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
    public static bool TryDecodePacket(ReadOnlySpan<byte> packet, DhanSecurity security, Price prevClose, Quantity oi, DateTime receivedUtc, out Tick tick)
    {
        if (packet.Length < DhanPacket.HeaderLength || packet[0] is not (DhanPacket.Ticker or DhanPacket.Quote or DhanPacket.Full) || packet.Length != DhanPacket.LengthOf(packet[0]))
        {
            throw new ArgumentException($"not a whole Dhan packet: code {(packet.Length > 0 ? packet[0] : 0)}, {packet.Length} bytes", nameof(packet));
        }

        // The length was checked above, so every read below is inside the packet.
        ref byte p = ref MemoryMarshal.GetReference(packet);
        tick = new Tick(security.Instrument) { ReceiveTime = receivedUtc, Source = TickSource.Stream, Close = prevClose };
        bool ok = true;
        switch (packet[0])
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
                throw new ArgumentException($"code {packet[0]} carries no tick", nameof(packet));
        }

        if (!tick.Ltp.HasValue)
        {
            // No trade yet today (LTP 0): whatever else the packet says, it says nothing about a last price.
            tick.Updates &= ~TickFields.Trade;
        }

        return ok;
    }

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

    /// <summary>Five 20-byte levels from offset 62: bid qty, ask qty, bid orders, ask orders, bid price, ask price.</summary>
    private static bool ReadDepth(ref byte p, in DhanSecurity security, ref Tick tick)
    {
        bool ok = true;
        int bids = 0;
        int asks = 0;
        for (int level = 0; level < DhanPacket.DepthLevels; level++)
        {
            int at = 62 + (20 * level);
            float bidPrice = Float(ref p, at + 12);
            float askPrice = Float(ref p, at + 16);

            // Empty levels carry 0 or a small negative sentinel (−0.01): they end the side, they are not prices.
            if (bidPrice > 0 && bids == level)
            {
                ok &= TryPrice(bidPrice, in security, out Price price);
                tick.Depth.Bids[bids++] = new DepthLevel(price, Units(Int(ref p, at)), UShort(ref p, at + 8));
            }

            if (askPrice > 0 && asks == level)
            {
                ok &= TryPrice(askPrice, in security, out Price price);
                tick.Depth.Asks[asks++] = new DepthLevel(price, Units(Int(ref p, at + 4)), UShort(ref p, at + 10));
            }

            ok &= float.IsFinite(bidPrice) && float.IsFinite(askPrice);
        }

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
    /// 0 is "none" (no trade yet); a finite price in (0, 1e9) becomes exact on the tick size — the nearest whole
    /// number of ticks, by one multiplication — and anything else is refused.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryPrice(double value, in DhanSecurity security, out Price price)
    {
        if (value > 0 && value < MaxPrice)
        {
            price = security.TicksPerUnit > 0
                ? Price.FromRaw((long)Math.Round(value * security.TicksPerUnit) * security.TickSize.Raw)
                : Price.FromRaw((long)Math.Round(value * FixedPoint.Factor));
            return true;
        }

        price = Price.None;
        return value == 0;
    }

    /// <summary>IST-as-epoch seconds to a UTC instant; 0 means none.</summary>
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
