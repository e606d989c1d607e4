using MarketFeed.Instruments;

namespace MarketFeed.Candles;

/// <summary>
/// How far back a series' past reaches, counted on the instrument's session calendar: whole trading sessions (weekends
/// and holidays skipped), not wall-clock days, and bars of the session grid (a clipped last bar counts as one).
/// </summary>
public static class CandleHistoryWindow
{
    /// <summary>Upper bound on the days walked, so a calendar with few sessions cannot loop for long.</summary>
    private const int MaxDaysWalked = 4_000;

    /// <summary>
    /// The start of the window holding the last <paramref name="tradingDays"/> sessions' closed bars before
    /// <paramref name="nowUtc"/> (the running session counts as one), reaching further back until it holds at least
    /// <paramref name="minBars"/>, and never more than <paramref name="maxBars"/>; and how many closed bars it holds.
    /// </summary>
    public static (DateTime StartUtc, int Bars) Of(SessionCalendar calendar, CandleInterval interval, DateTime nowUtc, int tradingDays, int minBars, int maxBars)
    {
        DateOnly day = LocalDay(calendar, nowUtc).AddDays(1);
        DateTime start = nowUtc;
        int bars = 0;
        int sessions = 0;
        for (int walked = 0; walked < MaxDaysWalked && (sessions < tradingDays || bars < minBars) && bars < maxBars; walked++)
        {
            day = day.AddDays(-1);
            if (!calendar.IsTradingDay(day))
            {
                continue;
            }

            SessionWindow session = calendar.SessionOf(day);
            if (session.OpenUtc >= nowUtc)
            {
                continue;
            }

            int inSession = ClosedBars(session, interval, nowUtc);
            sessions++;
            if (bars + inSession >= maxBars)
            {
                int skip = inSession - (maxBars - bars);
                start = session.OpenUtc.AddTicks(skip * interval.Length.Ticks);
                bars = maxBars;
                break;
            }

            bars += inSession;
            start = session.OpenUtc;
        }

        return (start, bars);
    }

    /// <summary>Closed grid bars that start at or after <paramref name="fromUtc"/> and end by <paramref name="toUtc"/>.</summary>
    public static int BarsBetween(SessionCalendar calendar, CandleInterval interval, DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc <= fromUtc)
        {
            return 0;
        }

        int bars = 0;
        DateOnly last = LocalDay(calendar, toUtc);
        for (DateOnly day = LocalDay(calendar, fromUtc).AddDays(-1); day <= last; day = day.AddDays(1))
        {
            if (!calendar.IsTradingDay(day))
            {
                continue;
            }

            SessionWindow session = calendar.SessionOf(day);
            if (session.CloseUtc <= fromUtc || session.OpenUtc >= toUtc)
            {
                continue;
            }

            int all = ClosedBars(session, interval, toUtc);
            int before = fromUtc <= session.OpenUtc ? 0 : (int)Math.Ceiling((fromUtc - session.OpenUtc).Ticks / (double)interval.Length.Ticks);
            bars += Math.Max(0, all - before);
        }

        return bars;
    }

    /// <summary>
    /// <paramref name="nowUtc"/> while a session is open, else the close of the last session before it: what a history
    /// request should end at, so a venue client that sizes its request from the bar count does not spend it on a closed market.
    /// </summary>
    public static DateTime LastTradedBy(SessionCalendar calendar, DateTime nowUtc)
    {
        if (calendar.SessionAt(nowUtc) is not null)
        {
            return nowUtc;
        }

        DateOnly day = LocalDay(calendar, nowUtc);
        for (int walked = 0; walked < MaxDaysWalked; walked++, day = day.AddDays(-1))
        {
            if (calendar.IsTradingDay(day) && calendar.SessionOf(day) is { } session && session.CloseUtc <= nowUtc)
            {
                return session.CloseUtc;
            }
        }

        return nowUtc;
    }

    /// <summary>Bars of <paramref name="session"/> that have ended by <paramref name="nowUtc"/>.</summary>
    private static int ClosedBars(SessionWindow session, CandleInterval interval, DateTime nowUtc)
    {
        if (nowUtc >= session.CloseUtc)
        {
            return (int)Math.Ceiling(session.Length.Ticks / (double)interval.Length.Ticks);
        }

        return nowUtc <= session.OpenUtc ? 0 : (int)((nowUtc - session.OpenUtc).Ticks / interval.Length.Ticks);
    }

    private static DateOnly LocalDay(SessionCalendar calendar, DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), calendar.Zone));
}
