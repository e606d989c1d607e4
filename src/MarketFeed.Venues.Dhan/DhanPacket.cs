using System.Runtime.CompilerServices;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// The main feed's response codes and the length each packet must have. Lengths count the 8-byte
/// header; a code with another length is malformed and skipped by its length.
/// </summary>
internal static class DhanPacket
{
    public const int HeaderLength = 8;

    public const byte Index = 1;
    public const byte Ticker = 2;
    public const byte Quote = 4;
    public const byte Oi = 5;
    public const byte PrevClose = 6;
    public const byte MarketStatus = 7;
    public const byte Full = 8;
    public const byte Disconnect = 50;

    public const int TickerLength = 16;
    public const int QuoteLength = 50;
    public const int OiLength = 12;
    public const int PrevCloseLength = 16;
    public const int FullLength = 162;
    public const int DisconnectLength = 10;
    public const int DepthLevels = 5;

    /// <summary>The length a known code's packet has; 0 for codes whose body is undocumented (index, market status) or unknown.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOf(byte code) => code switch
    {
        Ticker => TickerLength,
        Quote => QuoteLength,
        Oi => OiLength,
        PrevClose => PrevCloseLength,
        Full => FullLength,
        Disconnect => DisconnectLength,
        MarketStatus => HeaderLength,
        _ => 0,
    };
}
