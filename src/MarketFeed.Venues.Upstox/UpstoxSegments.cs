using MarketFeed.Instruments;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Upstox segments (the part of an instrument key before <c>|</c>) and what they mean here: the exchange prefix of
/// canonical symbols (the same as every other Indian venue: NSE, NFO, BSE, BFO, MCX, CDS, BCD) and the session calendar.
/// </summary>
public static class UpstoxSegments
{
    /// <summary>The canonical exchange of a segment, or null for segments this gateway does not carry.</summary>
    public static string? ExchangeOf(string segment) => segment switch
    {
        "NSE_EQ" or "NSE_INDEX" => "NSE",
        "NSE_FO" => "NFO",
        "BSE_EQ" or "BSE_INDEX" => "BSE",
        "BSE_FO" => "BFO",
        "MCX_FO" => "MCX",
        "NCD_FO" => "CDS",
        "BCD_FO" => "BCD",
        _ => null,
    };

    public static SessionCalendar CalendarOf(string segment) => segment switch
    {
        "MCX_FO" => SessionCalendars.IndianCommodity,
        "NCD_FO" or "BCD_FO" => SessionCalendars.IndianCurrency,
        _ => SessionCalendar.IndianEquity,
    };

    /// <summary>The segment of an instrument key (<c>NSE_EQ|INE002A01018</c> → <c>NSE_EQ</c>); empty when it has no <c>|</c>.</summary>
    public static string SegmentOf(string instrumentKey)
    {
        int bar = instrumentKey.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 ? instrumentKey[..bar] : "";
    }
}
