using MarketFeed.Instruments;

namespace MarketFeed.Simulation;

/// <summary>
/// Trading time for the price process: a year is 252 sessions of an exchange with closed hours (NSE: 252 × 6 h 15 m)
/// or 365 days of a market that never closes (crypto, and NSE in the simulator's 24/7 mode), and variance is spread
/// over a session by an intraday profile whose mean is 1 — U-shaped for a session with an open and a close (busy
/// open, quiet lunch, busier close), a gentle daily cycle for a 24-hour market.
/// </summary>
internal static class TradingClock
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // ∫₀¹ (1 + 2·e^(−u/0.06) + 0.8·e^(−(1−u)/0.08)) du, so the U-shaped profile averages 1.
    private static readonly double s_uShapeMean = 1 + (2 * 0.06 * (1 - Math.Exp(-1 / 0.06))) + (0.8 * 0.08 * (1 - Math.Exp(-1 / 0.08)));

    public static bool IsAroundTheClock(SessionCalendar calendar) => calendar.Length >= TimeSpan.FromDays(1);

    public static double SecondsPerYear(SessionCalendar calendar) =>
        IsAroundTheClock(calendar) ? 365 * 86_400.0 : 252 * calendar.Length.TotalSeconds;

    /// <summary>Relative variance (and volume) rate at <paramref name="utc"/> inside <paramref name="session"/>; averages 1 over a session.</summary>
    public static double Intensity(SessionWindow session, DateTime utc)
    {
        double length = (session.CloseUtc - session.OpenUtc).TotalSeconds;
        if (length >= 86_400)
        {
            // Busiest when Europe and the US overlap (about 15:00 UTC), quietest twelve hours later.
            double hour = utc.TimeOfDay.TotalHours;
            return 1 + (0.3 * Math.Cos(2 * Math.PI * (hour - 15) / 24));
        }

        double u = Math.Clamp((utc - session.OpenUtc).TotalSeconds / length, 0, 1);
        return (1 + (2 * Math.Exp(-u / 0.06)) + (0.8 * Math.Exp(-(1 - u) / 0.08))) / s_uShapeMean;
    }

    public static DateTime MinuteStart(DateTime utc) => new(utc.Ticks - (utc.Ticks % Minute.Ticks), DateTimeKind.Utc);

    /// <summary>The trading day before <paramref name="day"/> in <paramref name="calendar"/>.</summary>
    public static DateOnly PreviousTradingDay(SessionCalendar calendar, DateOnly day)
    {
        DateOnly previous = day.AddDays(-1);
        for (int guard = 0; guard < 30 && !calendar.IsTradingDay(previous); guard++)
        {
            previous = previous.AddDays(-1);
        }

        return previous;
    }

    public static DateOnly NextTradingDay(SessionCalendar calendar, DateOnly day)
    {
        DateOnly next = day.AddDays(1);
        for (int guard = 0; guard < 30 && !calendar.IsTradingDay(next); guard++)
        {
            next = next.AddDays(1);
        }

        return next;
    }
}
