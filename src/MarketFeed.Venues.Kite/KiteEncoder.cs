using System.Buffers.Binary;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>Writes Kite's binary packets and frames: what the emulator sends, byte for byte as Kite does.</summary>
public static class KiteEncoder
{
    public const int MaxPacketLength = KitePacketKind.Full;

    public static int PacketLength(uint token, FeedMode mode) => (KiteSegments.IsIndex(token), mode) switch
    {
        (_, FeedMode.Ltp) => KitePacketKind.Ltp,
        (true, FeedMode.Quote) => KitePacketKind.IndexQuote,
        (true, _) => KitePacketKind.IndexFull,
        (false, FeedMode.Quote) => KitePacketKind.Quote,
        _ => KitePacketKind.Full,
    };

    /// <summary>Writes one packet for <paramref name="tick"/> in <paramref name="mode"/>; returns its length.</summary>
    public static int WritePacket(Span<byte> destination, uint token, in Tick tick, FeedMode mode)
    {
        int length = PacketLength(token, mode);
        Span<byte> p = destination[..length];
        p.Clear();
        int decimals = KiteSegments.PriceDecimals(KiteSegments.SegmentOf(token));
        BinaryPrimitives.WriteUInt32BigEndian(p, token);
        WritePrice(p, 4, tick.Ltp, decimals);
        switch (length)
        {
            case KitePacketKind.IndexQuote or KitePacketKind.IndexFull:
                WritePrice(p, 8, tick.High, decimals);
                WritePrice(p, 12, tick.Low, decimals);
                WritePrice(p, 16, tick.Open, decimals);
                WritePrice(p, 20, tick.Close, decimals);
                WritePrice(p, 24, tick.Change, decimals);
                if (length == KitePacketKind.IndexFull)
                {
                    WriteTime(p, 28, tick.ExchangeTime);
                }

                break;
            case KitePacketKind.Quote or KitePacketKind.Full:
                WriteUnits(p, 8, tick.Ltq);
                WritePrice(p, 12, tick.Atp, decimals);
                WriteUnits(p, 16, tick.Volume);
                WriteUnits(p, 20, tick.BidQty);
                WriteUnits(p, 24, tick.AskQty);
                WritePrice(p, 28, tick.Open, decimals);
                WritePrice(p, 32, tick.High, decimals);
                WritePrice(p, 36, tick.Low, decimals);
                WritePrice(p, 40, tick.Close, decimals);
                if (length == KitePacketKind.Full)
                {
                    WriteTime(p, 44, tick.ExchangeTime);
                    WriteUnits(p, 48, tick.Oi);
                    WriteTime(p, 60, tick.ExchangeTime);
                    for (int level = 0; level < MarketDepth.Levels; level++)
                    {
                        WriteLevel(p, 64 + (12 * level), level < tick.Depth.BidCount ? tick.Depth.Bids[level] : default, decimals);
                        WriteLevel(p, 124 + (12 * level), level < tick.Depth.AskCount ? tick.Depth.Asks[level] : default, decimals);
                    }
                }

                break;
        }

        return length;
    }

    /// <summary>Frames packets: <c>uint16 count</c>, then <c>uint16 length</c> + bytes per packet.</summary>
    public static byte[] Frame(IReadOnlyList<byte[]> packets)
    {
        byte[] frame = new byte[2 + packets.Sum(p => 2 + p.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)packets.Count);
        int offset = 2;
        foreach (byte[] packet in packets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), (ushort)packet.Length);
            packet.CopyTo(frame, offset + 2);
            offset += 2 + packet.Length;
        }

        return frame;
    }

    public static byte[] Packet(uint token, in Tick tick, FeedMode mode)
    {
        Span<byte> buffer = stackalloc byte[MaxPacketLength];
        int length = WritePacket(buffer, token, in tick, mode);
        return buffer[..length].ToArray();
    }

    private static void WriteLevel(Span<byte> p, int offset, DepthLevel level, int decimals)
    {
        WriteUnits(p, offset, level.Quantity);
        WritePrice(p, offset + 4, level.Price, decimals);
        BinaryPrimitives.WriteUInt16BigEndian(p[(offset + 8)..], (ushort)level.Orders);
    }

    private static void WritePrice(Span<byte> p, int offset, Price price, int decimals) =>
        BinaryPrimitives.WriteInt32BigEndian(p[offset..], price.HasValue ? checked((int)(price.Raw / FixedPoint.ScaleUp(decimals))) : 0);

    private static void WriteUnits(Span<byte> p, int offset, Quantity quantity) =>
        BinaryPrimitives.WriteInt32BigEndian(p[offset..], quantity.HasValue ? checked((int)(quantity.Raw / FixedPoint.Factor)) : 0);

    private static void WriteTime(Span<byte> p, int offset, DateTime utc) =>
        BinaryPrimitives.WriteUInt32BigEndian(p[offset..], utc.Ticks == 0 ? 0u : (uint)((utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond));
}
