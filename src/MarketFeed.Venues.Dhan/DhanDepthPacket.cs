namespace MarketFeed.Venues.Dhan;

/// <summary>
/// The 20-level depth feed's packets: a 12-byte little-endian header in its own field order (int16 length,
/// code, segment, int32 security id, uint32 sequence) and 20 rows of 16 bytes (float64 price, uint32 quantity,
/// uint32 orders). Bid and ask come as separate packets, usually back to back in one frame.
/// </summary>
internal static class DhanDepthPacket
{
    public const int HeaderLength = 12;
    public const int RowLength = 16;
    public const int Levels = 20;
    public const int Length = HeaderLength + (Levels * RowLength);

    public const byte Bid = 41;
    public const byte Ask = 51;
    public const byte Disconnect = 50;
}
