namespace MarketFeed.Venues.Kite;

/// <summary>
/// The exchange segment is the low byte of a Kite instrument token. It decides the price scale (one table, so a new
/// segment is one line) and whether the instrument is an index.
/// </summary>
public static class KiteSegments
{
    public const int Indices = 9;

    /// <summary>Implied decimals of prices per segment: CDS 1e7, BCD and NCO 1e4, everything else (known or not) 100.</summary>
    public static int PriceDecimals(int segment) => segment switch
    {
        3 => 7,   // CDS, NSE currency
        6 => 4,   // BCD, BSE currency
        12 => 4,  // NCO, NSE commodity
        _ => 2,
    };

    public static int SegmentOf(uint token) => (int)(token & 0xFF);

    public static bool IsIndex(uint token) => SegmentOf(token) == Indices;
}
