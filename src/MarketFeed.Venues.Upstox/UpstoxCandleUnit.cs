using MarketFeed.Candles;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// How a candle interval is asked of Upstox's v3 candle API: <c>minutes</c> 1–300 (hours too: 60–300), <c>days</c> 1, and the
/// longest span one historical request may cover for that unit (1–15 minutes: a month; longer minutes and hours: a
/// quarter; days: a decade), kept a little inside the calendar limits.
/// </summary>
public readonly record struct UpstoxCandleUnit(string Unit, int Interval, TimeSpan MaxSpan)
{
    public static UpstoxCandleUnit? For(CandleInterval interval)
    {
        TimeSpan length = interval.Length;
        if (length == TimeSpan.FromDays(1))
        {
            return new("days", 1, TimeSpan.FromDays(3650));
        }

        if (length.Ticks % TimeSpan.TicksPerMinute == 0 && length.TotalMinutes is >= 1 and <= 300)
        {
            int minutes = (int)length.TotalMinutes;
            return new("minutes", minutes, minutes <= 15 ? TimeSpan.FromDays(28) : TimeSpan.FromDays(88));
        }

        return null;
    }
}
