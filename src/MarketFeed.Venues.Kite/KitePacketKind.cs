namespace MarketFeed.Venues.Kite;

/// <summary>Packet kinds by length: the length alone says what a packet is.</summary>
public static class KitePacketKind
{
    public const int Ltp = 8;
    public const int IndexQuote = 28;
    public const int IndexFull = 32;
    public const int Quote = 44;
    public const int Full = 184;

    public static bool IsKnown(int length) => length is Ltp or IndexQuote or IndexFull or Quote or Full;
}
