using System.Buffers.Binary;
using System.Numerics;

namespace MarketFeed.Journal;

/// <summary>CRC-32C (Castagnoli), eight bytes at a time through the CPU's CRC32 instruction where it has one.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data, uint crc = 0) => ~Append(~crc, data);

    /// <summary>Continues a running (not yet inverted) CRC over <paramref name="data"/>.</summary>
    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
