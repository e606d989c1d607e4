namespace MarketFeed.Venues.Kraken;

/// <summary>The standard CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's <c>crc32</c>: Kraken's book checksum.</summary>
internal static class KrakenCrc32
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>Continues <paramref name="crc"/> (the running value, pre-inverted: start with <see cref="Start"/>) over <paramref name="bytes"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        uint[] table = s_table;
        foreach (byte b in bytes)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    public const uint Start = 0xFFFFFFFF;

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFF;

    public static uint Compute(ReadOnlySpan<byte> bytes) => Finish(Append(Start, bytes));

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
