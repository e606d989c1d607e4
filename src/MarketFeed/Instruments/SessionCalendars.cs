namespace MarketFeed.Instruments;

/// <summary>Exchange session calendars beyond NSE/BSE equity and crypto (see <see cref="SessionCalendar"/>).</summary>
public static class SessionCalendars
{
    /// <summary>NSE/BSE currency derivatives: 09:00–17:00 Asia/Kolkata, Monday to Friday.</summary>
    public static SessionCalendar IndianCurrency { get; } =
        new("CDS", TimeZones.Kolkata, new TimeSpan(9, 0, 0), new TimeSpan(8, 0, 0), tradesOnWeekends: false);

    /// <summary>MCX / NSE commodity: 09:00–23:30 Asia/Kolkata, Monday to Friday.</summary>
    public static SessionCalendar IndianCommodity { get; } =
        new("MCX", TimeZones.Kolkata, new TimeSpan(9, 0, 0), new TimeSpan(14, 30, 0), tradesOnWeekends: false);
}
