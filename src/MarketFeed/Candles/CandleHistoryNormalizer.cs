using MarketFeed.Instruments;

namespace MarketFeed.Candles;

/// <summary>
/// Puts a venue's history answer on the series' session grid before anything stores or seeds it. A bar whose start is
/// off the grid is moved to the grid bar containing it (a daily bar stamped at midnight goes to that day's session), or
/// dropped when no session contains it; a bar not yet ended, or with impossible prices, is dropped; bars are sorted by
/// start, and of two for the same grid bar the later in the answer is kept. Every such bar is counted.
/// </summary>
public static class CandleHistoryNormalizer
{
    public static IReadOnlyList<Candle> Normalize(IReadOnlyList<Candle> answer, SessionCalendar calendar, CandleInterval interval, DateTime endUtc, out HistoryAnswerCounts counts)
    {
        counts = default;
        var byStart = new SortedDictionary<DateTime, Candle>();
        DateTime previous = DateTime.MinValue;
        foreach (Candle bar in answer)
        {
            if (bar.Start < previous)
            {
                counts.OutOfOrder++;
            }

            previous = bar.Start;
            if (!IsPlausible(in bar))
            {
                counts.Invalid++;
                continue;
            }

            if (GridBarOf(calendar, interval, bar.Start) is not { } grid)
            {
                counts.OffGrid++;
                continue;
            }

            if (grid.Start != bar.Start)
            {
                counts.Rebucketed++;
            }

            if (grid.End > endUtc)
            {
                counts.NotEnded++;
                continue;
            }

            if (byStart.ContainsKey(grid.Start))
            {
                counts.Duplicates++;
            }

            byStart[grid.Start] = bar with { Start = grid.Start, End = grid.End, Flags = (bar.Flags & ~CandleFlags.Partial) | CandleFlags.Closed | CandleFlags.History };
        }

        return [.. byStart.Values];
    }

    /// <summary>The grid bar containing <paramref name="start"/>; for a bar of a day or more stamped outside the session (midnight), that day's session bar.</summary>
    private static (DateTime Start, DateTime End)? GridBarOf(SessionCalendar calendar, CandleInterval interval, DateTime start)
    {
        long length = interval.Length.Ticks;
        SessionWindow? session = calendar.SessionAt(start);
        if (session is null && interval.Length >= TimeSpan.FromDays(1))
        {
            DateOnly day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(start, DateTimeKind.Utc), calendar.Zone));
            session = calendar.IsTradingDay(day) ? calendar.SessionOf(day) : null;
        }

        if (session is not { } s)
        {
            return null;
        }

        DateTime gridStart = start < s.OpenUtc ? s.OpenUtc : s.OpenUtc.AddTicks((start - s.OpenUtc).Ticks / length * length);
        DateTime next = gridStart.AddTicks(length);
        return (gridStart, next > s.CloseUtc ? s.CloseUtc : next);
    }

    private static bool IsPlausible(in Candle bar) =>
        bar.Open.HasValue && bar.High.HasValue && bar.Low.HasValue && bar.Close.HasValue
        && bar.Low.Raw > 0 && bar.High >= bar.Low
        && bar.Open >= bar.Low && bar.Open <= bar.High && bar.Close >= bar.Low && bar.Close <= bar.High
        && (!bar.Volume.HasValue || bar.Volume.Raw >= 0);
}
