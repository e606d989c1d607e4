using System.Buffers.Binary;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Decodes Kite's binary frames (§2–§5 of the spec): <c>uint16 count</c>, then per packet <c>uint16 length</c> and
/// the packet. Tokens, counts, lengths and depth order counts are unsigned; prices, quantities and changes are
/// signed int32. Prices become exact fixed-point values by one multiplication (no division), timestamps are
/// unix seconds in UTC. A packet of unknown length is skipped by its length; a frame cut short stops decoding
/// and is reported, never guessed at. Nothing here allocates.
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

        return new KiteFrameStats(decoded, skipped, Truncated: false, Heartbeat: false);
    }

    /// <summary>Decodes one packet whose length is one of <see cref="KitePacketKind"/>.</summary>
    public static void DecodePacket(ReadOnlySpan<byte> packet, InstrumentId instrument, DateTime receivedUtc, out Tick tick)
    {
        uint token = BinaryPrimitives.ReadUInt32BigEndian(packet);
        int decimals = KiteSegments.PriceDecimals(KiteSegments.SegmentOf(token));
        tick = new Tick(instrument) { ReceiveTime = receivedUtc, Source = TickSource.Stream, Ltp = PriceAt(packet, 4, decimals) };
        switch (packet.Length)
        {
            case KitePacketKind.Ltp:
                tick.Mode = FeedMode.Ltp;
                break;
            case KitePacketKind.IndexQuote or KitePacketKind.IndexFull:
                // Index layout: high, low, open, close, net change (recomputed from LTP and close, so not read).
                tick.High = PriceAt(packet, 8, decimals);
                tick.Low = PriceAt(packet, 12, decimals);
                tick.Open = PriceAt(packet, 16, decimals);
                tick.Close = PriceAt(packet, 20, decimals);
                tick.Mode = FeedMode.Quote;
                if (packet.Length == KitePacketKind.IndexFull)
                {
                    tick.ExchangeTime = TimeAt(packet, 28);
                    tick.Mode = FeedMode.Full;
                }

                break;
            default:
                tick.Ltq = Quantity.FromUnits(IntAt(packet, 8));
                tick.Atp = PriceAt(packet, 12, decimals);
                tick.Volume = Quantity.FromUnits(IntAt(packet, 16));
                tick.Open = PriceAt(packet, 28, decimals);
                tick.High = PriceAt(packet, 32, decimals);
                tick.Low = PriceAt(packet, 36, decimals);
                tick.Close = PriceAt(packet, 40, decimals);
                tick.Flags = TickFlags.CumulativeVolume;
                tick.Mode = FeedMode.Quote;
                if (packet.Length == KitePacketKind.Full)
                {
                    DecodeFull(packet, decimals, ref tick);
                }

                break;
        }
    }

    private static void DecodeFull(ReadOnlySpan<byte> packet, int decimals, ref Tick tick)
    {
        tick.Mode = FeedMode.Full;
        tick.Oi = Quantity.FromUnits(IntAt(packet, 48));
        DateTime exchangeTime = TimeAt(packet, 60);
        tick.ExchangeTime = exchangeTime.Ticks != 0 ? exchangeTime : TimeAt(packet, 44);
        for (int level = 0; level < MarketDepth.Levels; level++)
        {
            DepthLevel bid = LevelAt(packet, 64 + (12 * level), decimals);
            DepthLevel ask = LevelAt(packet, 124 + (12 * level), decimals);
            tick.Depth.SetBid(level, bid);
            tick.Depth.SetAsk(level, ask);
        }

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

    private static DepthLevel LevelAt(ReadOnlySpan<byte> packet, int offset, int decimals) =>
        new(PriceAt(packet, offset + 4, decimals), Quantity.FromUnits(IntAt(packet, offset)), BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]));

    private static int IntAt(ReadOnlySpan<byte> packet, int offset) => BinaryPrimitives.ReadInt32BigEndian(packet[offset..]);

    private static Price PriceAt(ReadOnlySpan<byte> packet, int offset, int decimals) => Price.FromScaled(IntAt(packet, offset), decimals);

    /// <summary>Unix seconds (UTC); 0 means "none" (e.g. no trade yet) and stays absent.</summary>
    private static DateTime TimeAt(ReadOnlySpan<byte> packet, int offset)
    {
        uint seconds = BinaryPrimitives.ReadUInt32BigEndian(packet[offset..]);
        return seconds == 0 ? default : DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
    }
}
