using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Decodes Kite's binary frames (docs/venues/kite.md, wire format): <c>uint16 count</c>, then per packet <c>uint16 length</c> and
/// the packet. Tokens, counts, lengths and depth order counts are unsigned; prices, quantities and changes are
/// signed int32. Prices become exact fixed-point values by one multiplication (no division), timestamps are
/// unix seconds in UTC. A packet of unknown length is skipped by its length; a frame cut short stops decoding
/// and is reported, never guessed at; bytes past the declared packets (a count that says fewer packets than the
/// frame holds) are reported too, since the packets they held are lost. Nothing here allocates.
/// </summary>
public static class KiteDecoder
{
    public static KiteFrameStats DecodeFrame<THandler>(ReadOnlySpan<byte> frame, KiteTokenMap tokens, DateTime receivedUtc, ref THandler handler)
        where THandler : IKiteTickHandler
    {
        if (frame.Length < 2)
        {
            return new KiteFrameStats(0, 0, Truncated: false, Heartbeat: true);
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(frame);
        int offset = 2;
        int decoded = 0;
        int skipped = 0;
        for (int i = 0; i < count; i++)
        {
            if (offset + 2 > frame.Length)
            {
                return new KiteFrameStats(decoded, skipped, Truncated: true, Heartbeat: false);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
            offset += 2;
            if (offset + length > frame.Length)
            {
                return new KiteFrameStats(decoded, skipped, Truncated: true, Heartbeat: false);
            }

            ReadOnlySpan<byte> packet = frame.Slice(offset, length);
            offset += length;
            if (!KitePacketKind.IsKnown(length))
            {
                skipped++;
                continue;
            }

            uint token = BinaryPrimitives.ReadUInt32BigEndian(packet);
            if (!tokens.TryGet(token, out InstrumentId instrument))
            {
                handler.OnUnknownToken(token);
                continue;
            }

            DecodePacket(packet, instrument, receivedUtc, out Tick tick);
            handler.OnTick(in tick);
            decoded++;
        }

        return new KiteFrameStats(decoded, skipped, Truncated: false, Heartbeat: false, TrailingBytes: frame.Length - offset);
    }

    /// <summary>Decodes one packet whose length is one of <see cref="KitePacketKind"/>.</summary>
    public static void DecodePacket(ReadOnlySpan<byte> packet, InstrumentId instrument, DateTime receivedUtc, out Tick tick)
    {
        if (!KitePacketKind.IsKnown(packet.Length))
        {
            throw new ArgumentException($"A Kite packet is 8, 28, 32, 44 or 184 bytes, not {packet.Length}.", nameof(packet));
        }

        // The length was checked above, so every read below is inside the packet: read without per-field slicing.
        ref byte p = ref MemoryMarshal.GetReference(packet);
        uint token = (uint)Int(ref p, 0);
        long scale = FixedPoint.ScaleUp(KiteSegments.PriceDecimals(KiteSegments.SegmentOf(token)));

        // Built in place: `tick = new Tick(...)` would build a temporary and copy its ~450 bytes into the out parameter.
        Unsafe.SkipInit(out tick);
        tick.Reset(instrument);
        tick.ReceiveTime = receivedUtc;
        tick.Source = TickSource.Stream;
        tick.Ltp = Price.FromRaw(Int(ref p, 4) * scale);
        switch (packet.Length)
        {
            case KitePacketKind.Ltp:
                tick.Mode = FeedMode.Ltp;
                break;
            case KitePacketKind.IndexQuote or KitePacketKind.IndexFull:
                // Index layout: high, low, open, close, net change (recomputed from LTP and close, so not read).
                tick.High = Price.FromRaw(Int(ref p, 8) * scale);
                tick.Low = Price.FromRaw(Int(ref p, 12) * scale);
                tick.Open = Price.FromRaw(Int(ref p, 16) * scale);
                tick.Close = Price.FromRaw(Int(ref p, 20) * scale);
                tick.Mode = FeedMode.Quote;
                if (packet.Length == KitePacketKind.IndexFull)
                {
                    tick.ExchangeTime = Time(ref p, 28);
                    tick.Mode = FeedMode.Full;
                }

                break;
            default:
                tick.Ltq = Quantity.FromRaw(Int(ref p, 8) * FixedPoint.Factor);
                tick.Atp = Price.FromRaw(Int(ref p, 12) * scale);
                tick.Volume = Quantity.FromRaw(Int(ref p, 16) * FixedPoint.Factor);
                tick.Open = Price.FromRaw(Int(ref p, 28) * scale);
                tick.High = Price.FromRaw(Int(ref p, 32) * scale);
                tick.Low = Price.FromRaw(Int(ref p, 36) * scale);
                tick.Close = Price.FromRaw(Int(ref p, 40) * scale);
                tick.Flags = TickFlags.CumulativeVolume;
                tick.Mode = FeedMode.Quote;
                if (packet.Length == KitePacketKind.Full)
                {
                    DecodeFull(ref p, scale, ref tick);
                }

                break;
        }
    }

    private static void DecodeFull(ref byte p, long scale, ref Tick tick)
    {
        tick.Mode = FeedMode.Full;
        tick.Oi = Quantity.FromRaw(Int(ref p, 48) * FixedPoint.Factor);
        DateTime exchangeTime = Time(ref p, 60);
        tick.ExchangeTime = exchangeTime.Ticks != 0 ? exchangeTime : Time(ref p, 44);
        for (int level = 0; level < MarketDepth.Levels; level++)
        {
            tick.Depth.Bids[level] = Level(ref p, 64 + (12 * level), scale);
            tick.Depth.Asks[level] = Level(ref p, 124 + (12 * level), scale);
        }

        tick.Depth.BidCount = MarketDepth.Levels;
        tick.Depth.AskCount = MarketDepth.Levels;

        // Top of book from depth; an empty side (price 0) means no bid or offer, not a price of 0.
        DepthLevel bestBid = tick.Depth.Bids[0];
        DepthLevel bestAsk = tick.Depth.Asks[0];
        if (bestBid.Price.Raw > 0)
        {
            tick.Bid = bestBid.Price;
            tick.BidQty = bestBid.Quantity;
        }

        if (bestAsk.Price.Raw > 0)
        {
            tick.Ask = bestAsk.Price;
            tick.AskQty = bestAsk.Quantity;
        }
    }

    private static DepthLevel Level(ref byte p, int offset, long scale) =>
        new(Price.FromRaw(Int(ref p, offset + 4) * scale), Quantity.FromRaw(Int(ref p, offset) * FixedPoint.Factor), UShort(ref p, offset + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Int(ref byte p, int offset)
    {
        int raw = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort UShort(ref byte p, int offset)
    {
        ushort raw = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    /// <summary>Unix seconds (UTC); 0 means "none" (e.g. no trade yet) and stays absent.</summary>
    private static DateTime Time(ref byte p, int offset)
    {
        uint seconds = (uint)Int(ref p, offset);
        return seconds == 0 ? default : DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
    }
}
