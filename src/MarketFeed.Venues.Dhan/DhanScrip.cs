using MarketFeed.Instruments;

namespace MarketFeed.Venues.Dhan;

/// <summary>One scrip master row: where Dhan's feeds know it (segment byte, security id), the registry definition, and Dhan's own names for it.</summary>
internal sealed record DhanScrip(byte Segment, int SecurityId, Instrument Definition, string DhanTradingSymbol, string CustomSymbol)
{
    /// <summary>The registry's native key: <c>NSE_FNO:44430</c> (security ids repeat across segments).</summary>
    public static string NativeKey(byte segment, int securityId) => $"{DhanSegment.Name(segment)}:{securityId}";
}
