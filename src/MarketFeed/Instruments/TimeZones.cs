namespace MarketFeed.Instruments;

/// <summary>The exchange time zones we need, resolved once; falls back to a fixed offset when the OS has no tz data.</summary>
public static class TimeZones
{
    /// <summary>Asia/Kolkata, UTC+05:30 without daylight saving.</summary>
    public static TimeZoneInfo Kolkata { get; } = Find("Asia/Kolkata", new TimeSpan(5, 30, 0));

    public static TimeZoneInfo Find(string id, TimeSpan fallbackOffset)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, fallbackOffset, id, id);
        }
    }

    /// <summary>ISO-8601 with the zone's offset, the form every API and file uses.</summary>
    public static DateTimeOffset ToZone(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone);
}
