using System.Globalization;

namespace MarketFeed.Simulation;

/// <summary>
/// NSE-style trading symbols for the simulated derivatives: monthly <c>NIFTY25NOV24000CE</c>, weekly
/// <c>NIFTY25N2524000CE</c> (month as 1–9, O, N, D), futures <c>NIFTY25NOVFUT</c>. Expiries fall on Tuesdays; the
/// monthly one is the month's last Tuesday.
/// </summary>
internal static class DerivativeSymbols
{
    public static string MonthlyOption(string root, DateOnly expiry, decimal strike, bool isCall) =>
        $"{root}{expiry:yy}{MonthCode(expiry)}{Strike(strike)}{(isCall ? "CE" : "PE")}";

    public static string WeeklyOption(string root, DateOnly expiry, decimal strike, bool isCall) =>
        $"{root}{expiry:yy}{WeeklyMonthCode(expiry.Month)}{expiry:dd}{Strike(strike)}{(isCall ? "CE" : "PE")}";

    public static string Future(string root, DateOnly expiry) => $"{root}{expiry:yy}{MonthCode(expiry)}FUT";

    public static DateOnly LastTuesday(int year, int month)
    {
        var day = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (day.DayOfWeek != DayOfWeek.Tuesday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>This month's last Tuesday, or next month's once it has passed.</summary>
    public static DateOnly NextMonthlyExpiry(DateOnly today, int monthsAhead = 0)
    {
        DateOnly expiry = LastTuesday(today.Year, today.Month);
        DateOnly month = new(today.Year, today.Month, 1);
        if (expiry < today)
        {
            month = month.AddMonths(1);
        }

        month = month.AddMonths(monthsAhead);
        return LastTuesday(month.Year, month.Month);
    }

    /// <summary>The next Tuesday on or after <paramref name="today"/> that is not the monthly expiry.</summary>
    public static DateOnly NextWeeklyExpiry(DateOnly today)
    {
        DateOnly day = today;
        while (day.DayOfWeek != DayOfWeek.Tuesday || day == LastTuesday(day.Year, day.Month))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static string MonthCode(DateOnly date) => date.ToString("MMM", CultureInfo.InvariantCulture).ToUpperInvariant();

    private static string WeeklyMonthCode(int month) => month switch
    {
        10 => "O",
        11 => "N",
        12 => "D",
        _ => month.ToString(CultureInfo.InvariantCulture),
    };

    private static string Strike(decimal strike) => strike.ToString("0.##", CultureInfo.InvariantCulture);
}
