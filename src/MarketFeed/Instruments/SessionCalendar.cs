namespace MarketFeed.Instruments;

/// <summary>
/// When an exchange trades, in its own time zone: one session a trading day from <see cref="Open"/> for
/// <see cref="Length"/>, weekdays only unless <see cref="TradesOnWeekends"/>, minus holidays. Candle boundaries are
/// anchored at the session open and staleness is only judged while a session is open.
/// </summary>
public sealed class SessionCalendar
{
    private readonly HashSet<DateOnly> _holidays;

    public SessionCalendar(string name, TimeZoneInfo zone, TimeSpan open, TimeSpan length, bool tradesOnWeekends, IEnumerable<DateOnly>? holidays = null)
    {
        if (length <= TimeSpan.Zero || length > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A session lasts more than zero and at most 24 hours.");
        }

        if (open < TimeSpan.Zero || open >= TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(open), open, "The open is a time of day.");
        }

        Name = name;
        Zone = zone;
        Open = open;
        Length = length;
        TradesOnWeekends = tradesOnWeekends;
        _holidays = holidays is null ? [] : [.. holidays];
    }

    public string Name { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Local time of day the session opens; every candle grid is anchored here.</summary>
    public TimeSpan Open { get; }

    public TimeSpan Length { get; }

    public bool TradesOnWeekends { get; }

    public IReadOnlySet<DateOnly> Holidays => _holidays;

    /// <summary>True when there is no closed time at all (crypto, or the simulator's 24/7 mode).</summary>
    public bool IsContinuous => Length == TimeSpan.FromDays(1) && TradesOnWeekends && _holidays.Count == 0;

    /// <summary>NSE/BSE cash and F&amp;O: 09:15–15:30 Asia/Kolkata, Monday to Friday.</summary>
    public static SessionCalendar IndianEquity { get; } =
        new("NSE", TimeZones.Kolkata, new TimeSpan(9, 15, 0), new TimeSpan(6, 15, 0), tradesOnWeekends: false);

    /// <summary>Crypto spot: continuous, days from 00:00 UTC.</summary>
    public static SessionCalendar Crypto { get; } =
        new("CRYPTO", TimeZoneInfo.Utc, TimeSpan.Zero, TimeSpan.FromDays(1), tradesOnWeekends: true);

    /// <summary>
    /// The same zone and anchor, trading around the clock every day: what the simulator uses in its 24/7 mode so
    /// candles keep the exchange's grid (09:15, 09:18 …) at any hour.
    /// </summary>
    public SessionCalendar AroundTheClock() =>
        IsContinuous ? this : new SessionCalendar(Name + "-24x7", Zone, Open, TimeSpan.FromDays(1), tradesOnWeekends: true);

    public SessionCalendar WithHolidays(IEnumerable<DateOnly> holidays) =>
        new(Name, Zone, Open, Length, TradesOnWeekends, _holidays.Concat(holidays));

    public bool IsTradingDay(DateOnly day) =>
        (TradesOnWeekends || (day.DayOfWeek != DayOfWeek.Saturday && day.DayOfWeek != DayOfWeek.Sunday))
        && !_holidays.Contains(day);

    /// <summary>The session of <paramref name="tradingDay"/> (whether or not it is a trading day).</summary>
    public SessionWindow SessionOf(DateOnly tradingDay)
    {
        DateTime localOpen = tradingDay.ToDateTime(TimeOnly.MinValue) + Open;
        DateTime openUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localOpen, DateTimeKind.Unspecified), Zone);
        DateTime localClose = localOpen + Length;
        DateTime closeUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localClose, DateTimeKind.Unspecified), Zone);
        return new SessionWindow(tradingDay, openUtc, closeUtc);
    }

    /// <summary>The session that contains <paramref name="utc"/>, or null when the market is closed then.</summary>
    public SessionWindow? SessionAt(DateTime utc)
    {
        DateOnly localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(AsUtc(utc), Zone));

        // A 24-hour session opened yesterday may still be running, so look at the day before too.
        for (int back = 0; back <= 1; back++)
        {
            DateOnly day = localDay.AddDays(-back);
            if (!IsTradingDay(day))
            {
                continue;
            }

            SessionWindow session = SessionOf(day);
            if (session.Contains(utc))
            {
                return session;
            }
        }

        return null;
    }

    public bool IsOpen(DateTime utc) => SessionAt(utc) is not null;

    /// <summary>The session containing <paramref name="utc"/>, else the next one to open.</summary>
    public SessionWindow CurrentOrNextSession(DateTime utc)
    {
        if (SessionAt(utc) is { } current)
        {
            return current;
        }

        DateOnly day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(AsUtc(utc), Zone)).AddDays(-1);
        for (int i = 0; i < 400; i++, day = day.AddDays(1))
        {
            if (!IsTradingDay(day))
            {
                continue;
            }

            SessionWindow session = SessionOf(day);
            if (session.OpenUtc > utc)
            {
                return session;
            }
        }

        throw new InvalidOperationException($"Calendar {Name} has no session in the next 400 days.");
    }

    /// <summary>The trading day <paramref name="utc"/> counts toward: its session's day, else the next session's.</summary>
    public DateOnly TradingDayOf(DateTime utc) => CurrentOrNextSession(utc).TradingDay;

    public override string ToString() => $"{Name} {Open:hh\\:mm}+{Length:hh\\:mm} {Zone.Id}";

    private static DateTime AsUtc(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc);
}
