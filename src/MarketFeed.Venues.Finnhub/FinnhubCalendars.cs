using MarketFeed.Instruments;

namespace MarketFeed.Venues.Finnhub;

/// <summary>The sessions of Finnhub's instruments (Finnhub's symbol lists carry none).</summary>
internal static class FinnhubCalendars
{
    /// <summary>US equities, regular hours: 09:30–16:00 America/New_York, Monday to Friday (pre- and post-market prints still arrive).</summary>
    public static SessionCalendar UsEquity { get; } =
        new("US", TimeZones.Find("America/New_York", TimeSpan.FromHours(-5)), new TimeSpan(9, 30, 0), new TimeSpan(6, 30, 0), tradesOnWeekends: false);

    /// <summary>Forex: around the clock on weekdays (UTC days; the real week runs from Sunday to Friday evening New York time).</summary>
    public static SessionCalendar Forex { get; } =
        new("FX", TimeZoneInfo.Utc, TimeSpan.Zero, TimeSpan.FromDays(1), tradesOnWeekends: false);

    /// <summary>Stocks of exchanges other than US: weekdays, UTC days (their own hours are not in Finnhub's lists).</summary>
    public static SessionCalendar OtherStocks { get; } =
        new("STOCKS", TimeZoneInfo.Utc, TimeSpan.Zero, TimeSpan.FromDays(1), tradesOnWeekends: false);
}
