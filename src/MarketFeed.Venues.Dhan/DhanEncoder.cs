using System.Buffers.Binary;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>Writes the main feed's packets byte for byte as Dhan does: what the emulator sends and tests decode.</summary>
internal static class DhanEncoder
{
    public static int PacketLength(FeedMode mode) => mode switch
    {
        FeedMode.Ltp => DhanPacket.TickerLength,
        FeedMode.Quote => DhanPacket.QuoteLength,
        _ => DhanPacket.FullLength,
    };

    /// <summary>Writes the packet <paramref name="mode"/> subscribes to (ticker, quote or full); returns its length.</summary>
    public static int WritePacket(Span<byte> destination, byte segment, int securityId, in Tick tick, FeedMode mode)
    {
        int length = PacketLength(mode);
        Span<byte> p = destination[..length];
        p.Clear();
        switch (mode)
        {
            case FeedMode.Ltp:
                Header(p, DhanPacket.Ticker, segment, securityId);
                WritePrice(p, 8, tick.Ltp);
                WriteTime(p, 12, tick.ExchangeTime);
                break;
            case FeedMode.Quote:
                Header(p, DhanPacket.Quote, segment, securityId);
                WriteTrade(p, in tick);
                WritePrice(p, 34, tick.Open);
                WritePrice(p, 42, tick.High);
                WritePrice(p, 46, tick.Low);
                break;
            default:
                Header(p, DhanPacket.Full, segment, securityId);
                WriteTrade(p, in tick);
                WriteUnits(p, 34, tick.Oi);
                WriteUnits(p, 38, tick.Oi);
                WriteUnits(p, 42, tick.Oi);
                WritePrice(p, 46, tick.Open);
                WritePrice(p, 54, tick.High);
                WritePrice(p, 58, tick.Low);
                for (int level = 0; level < DhanPacket.DepthLevels; level++)
                {
                    int at = 62 + (20 * level);
                    DepthLevel bid = level < tick.Depth.BidCount ? tick.Depth.Bids[level] : default;
                    DepthLevel ask = level < tick.Depth.AskCount ? tick.Depth.Asks[level] : default;
                    WriteUnits(p, at, bid.Quantity);
                    WriteUnits(p, at + 4, ask.Quantity);
                    BinaryPrimitives.WriteUInt16LittleEndian(p[(at + 8)..], (ushort)bid.Orders);
                    BinaryPrimitives.WriteUInt16LittleEndian(p[(at + 10)..], (ushort)ask.Orders);
                    WritePrice(p, at + 12, bid.Price);
                    WritePrice(p, at + 16, ask.Price);
                }

                break;
        }

        return length;
    }

    public static byte[] Packet(byte segment, int securityId, in Tick tick, FeedMode mode)
    {
        Span<byte> buffer = stackalloc byte[DhanPacket.FullLength];
        return buffer[..WritePacket(buffer, segment, securityId, in tick, mode)].ToArray();
    }

    /// <summary>Code 6: previous close and previous open interest, sent once per subscription.</summary>
    public static byte[] PrevClose(byte segment, int securityId, Price close, Quantity oi)
    {
        byte[] p = new byte[DhanPacket.PrevCloseLength];
        Header(p, DhanPacket.PrevClose, segment, securityId);
        WritePrice(p, 8, close);
        WriteUnits(p, 12, oi);
        return p;
    }

    /// <summary>Code 5: open interest, sent beside quote packets.</summary>
    public static byte[] OpenInterest(byte segment, int securityId, Quantity oi)
    {
        byte[] p = new byte[DhanPacket.OiLength];
        Header(p, DhanPacket.Oi, segment, securityId);
        WriteUnits(p, 8, oi);
        return p;
    }

    /// <summary>Code 50 with its reason (805, 807, …); segment and security id are zero.</summary>
    public static byte[] Disconnect(int reason)
    {
        byte[] p = new byte[DhanPacket.DisconnectLength];
        Header(p, DhanPacket.Disconnect, 0, 0);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(8), (short)reason);
        return p;
    }

    /// <summary>Packets back to back in one frame, as Dhan may send them.</summary>
    public static byte[] Frame(IEnumerable<byte[]> packets) => [.. packets.SelectMany(p => p)];

    public static void Header(Span<byte> p, byte code, byte segment, int securityId)
    {
        p[0] = code;
        BinaryPrimitives.WriteUInt16LittleEndian(p[1..], (ushort)p.Length);
        p[3] = segment;
        BinaryPrimitives.WriteInt32LittleEndian(p[4..], securityId);
    }

    private static void WriteTrade(Span<byte> p, in Tick tick)
    {
        WritePrice(p, 8, tick.Ltp);
        BinaryPrimitives.WriteUInt16LittleEndian(p[12..], tick.Ltq.HasValue ? (ushort)Math.Clamp(tick.Ltq.Raw / FixedPoint.Factor, 0, ushort.MaxValue) : (ushort)0);
        WriteTime(p, 14, tick.ExchangeTime);
        WritePrice(p, 18, tick.Atp);
        WriteUnits(p, 22, tick.Volume);
        WriteUnits(p, 26, tick.AskQty);
        WriteUnits(p, 30, tick.BidQty);
    }

    private static void WritePrice(Span<byte> p, int offset, Price price) =>
        BinaryPrimitives.WriteSingleLittleEndian(p[offset..], price.HasValue ? (float)price.ToDouble() : 0f);

    private static void WriteUnits(Span<byte> p, int offset, Quantity quantity) =>
        BinaryPrimitives.WriteUInt32LittleEndian(p[offset..], quantity.HasValue ? (uint)Math.Clamp(quantity.Raw / FixedPoint.Factor, 0, uint.MaxValue) : 0u);

    /// <summary>Dhan writes IST wall-clock time as if it were UTC epoch seconds.</summary>
    private static void WriteTime(Span<byte> p, int offset, DateTime utc) =>
        BinaryPrimitives.WriteUInt32LittleEndian(p[offset..], utc.Ticks == 0 ? 0u : (uint)(((utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond) + DhanDecoder.IstOffsetSeconds));
}
