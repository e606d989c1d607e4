using System.Buffers.Binary;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// The standard CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's <c>crc32</c>: Kraken's book checksum.
/// Eight bytes a step through eight tables (slicing-by-8), the rest a byte at a time.
/// </summary>
internal static class KrakenCrc32
{
    private static readonly uint[] s_tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> bytes) => Finish(Append(Start, bytes));

    /// <summary>The running value before any byte.</summary>
    public const uint Start = 0xFFFFFFFF;

    /// <summary>The checksum from a running value.</summary>
    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFF;

    /// <summary>Continues a running value (<see cref="Start"/> at first) over <paramref name="bytes"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        uint[] t = s_tables;
        while (bytes.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(bytes) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            crc = t[(7 * 256) + (low & 0xFF)] ^ t[(6 * 256) + ((low >> 8) & 0xFF)] ^ t[(5 * 256) + ((low >> 16) & 0xFF)] ^ t[(4 * 256) + (low >> 24)]
                ^ t[(3 * 256) + (high & 0xFF)] ^ t[(2 * 256) + ((high >> 8) & 0xFF)] ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            bytes = bytes[8..];
        }

        foreach (byte b in bytes)
        {
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            tables[i] = c;
        }

        for (int i = 0; i < 256; i++)
        {
            for (int table = 1; table < 8; table++)
            {
                uint previous = tables[((table - 1) * 256) + i];
                tables[(table * 256) + i] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        }

        return tables;
    }
}
