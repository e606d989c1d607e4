using MarketFeed.Instruments;

namespace MarketFeed.Candles;

/// <summary>Where bars fall in a calendar: the same session-anchored grid the live series uses, walked backwards.</summary>
public static class CandleSchedule
{
    /// <summary>The last <paramref name="count"/> whole bars ending at or before <paramref name="endUtc"/>, oldest first.</summary>
    public static IReadOnlyList<(DateTime Start, DateTime End)> BarsBefore(SessionCalendar calendar, CandleInterval interval, DateTime endUtc, int count)
    {
        var bars = new List<(DateTime Start, DateTime End)>(count);
        long length = interval.Length.Ticks;
        SessionWindow session = calendar.CurrentOrNextSession(endUtc);
        if (session.OpenUtc >= endUtc)
        {
            session = Previous(calendar, session);
        }

        for (int guard = 0; bars.Count < count && guard < 3_660; guard++)
        {
            // A session has ceil(length / interval) bars, the last clipped at the close (15:15–15:30 for hourly NSE bars).
            long barsInSession = ((session.CloseUtc - session.OpenUtc).Ticks + length - 1) / length;
            for (long k = barsInSession - 1; k >= 0 && bars.Count < count; k--)
            {
                DateTime start = session.OpenUtc.AddTicks(k * length);
                DateTime end = start.AddTicks(length) > session.CloseUtc ? session.CloseUtc : start.AddTicks(length);
                if (end <= endUtc)
                {
                    bars.Add((start, end));
                }
            }

            session = Previous(calendar, session);
        }

        bars.Reverse();
        return bars;
    }

    private static SessionWindow Previous(SessionCalendar calendar, SessionWindow session)
    {
        DateOnly day = session.TradingDay.AddDays(-1);
        while (!calendar.IsTradingDay(day))
        {
            day = day.AddDays(-1);
        }

        return calendar.SessionOf(day);
    }
}
