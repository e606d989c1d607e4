using System.Buffers.Binary;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>Writes the 20-level depth feed's packets as Dhan does: what the emulator sends and tests decode.</summary>
internal static class DhanDepthEncoder
{
    /// <summary>One side (bid 41 or ask 51) of up to 20 levels; rows past the given levels are zero.</summary>
    public static byte[] Side(byte code, byte segment, int securityId, uint sequence, IReadOnlyList<DepthLevel> levels)
    {
        byte[] p = new byte[DhanDepthPacket.Length];
        BinaryPrimitives.WriteInt16LittleEndian(p, DhanDepthPacket.Length);
        p[2] = code;
        p[3] = segment;
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(4), securityId);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(8), sequence);
        for (int level = 0; level < Math.Min(levels.Count, DhanDepthPacket.Levels); level++)
        {
            Span<byte> row = p.AsSpan(DhanDepthPacket.HeaderLength + (level * DhanDepthPacket.RowLength), DhanDepthPacket.RowLength);
            BinaryPrimitives.WriteDoubleLittleEndian(row, levels[level].Price.ToDouble());
            BinaryPrimitives.WriteUInt32LittleEndian(row[8..], (uint)Math.Clamp(levels[level].Quantity.Raw / FixedPoint.Factor, 0, uint.MaxValue));
            BinaryPrimitives.WriteUInt32LittleEndian(row[12..], (uint)Math.Max(0, levels[level].Orders));
        }

        return p;
    }

    /// <summary>The depth feed's disconnect packet: 12-byte header with code 50, the reason as int16 after it.</summary>
    public static byte[] Disconnect(int reason)
    {
        byte[] p = new byte[DhanDepthPacket.HeaderLength + 2];
        BinaryPrimitives.WriteInt16LittleEndian(p, (short)p.Length);
        p[2] = DhanDepthPacket.Disconnect;
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(12), (short)reason);
        return p;
    }

    /// <summary>
    /// Twenty levels a side from a tick's five: the five as they are, then further levels one tick size apart
    /// (quantities taken from the fifth level), as a deeper book of the same market would show.
    /// </summary>
    public static (List<DepthLevel> Bids, List<DepthLevel> Asks) TwentyLevels(in Tick tick, Price tickSize)
    {
        List<DepthLevel> Extend(DepthLevels levels, int count, int direction)
        {
            var side = new List<DepthLevel>(DhanDepthPacket.Levels);
            for (int i = 0; i < count; i++)
            {
                side.Add(levels[i]);
            }

            while (side.Count > 0 && side.Count < DhanDepthPacket.Levels)
            {
                DepthLevel last = side[^1];
                Price next = last.Price + (tickSize * direction);
                if (next.Raw <= 0)
                {
                    break;
                }

                side.Add(last with { Price = next });
            }

            return side;
        }

        return (Extend(tick.Depth.Bids, tick.Depth.BidCount, -1), Extend(tick.Depth.Asks, tick.Depth.AskCount, 1));
    }
}
