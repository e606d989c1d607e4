using MarketFeed.Candles;
using MarketFeed.Instruments;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Candles;

public class CandleHistoryWindowTests
{
    private static readonly CandleInterval M3 = CandleInterval.Parse("3m");

    [Fact]
    public void Two_trading_days_of_3_minute_bars_on_a_Monday_morning_reach_back_over_the_weekend_to_Friday()
    {
        DateOnly monday = new(2026, 11, 23);

        (DateTime start, int bars) = CandleHistoryWindow.Of(SessionCalendar.IndianEquity, M3, Ist(monday, 10, 0), tradingDays: 2, minBars: 0, maxBars: 500);

        Assert.Equal(Ist(9, 15), start);
        Assert.Equal(125 + 15, bars);
    }

    [Fact]
    public void Holidays_are_skipped_and_a_minimum_of_bars_reaches_further_back()
    {
        SessionCalendar calendar = SessionCalendar.IndianEquity.WithHolidays([new DateOnly(2026, 11, 19)]);

        (DateTime start, int bars) = CandleHistoryWindow.Of(calendar, CandleInterval.Parse("1d"), Ist(16, 0), tradingDays: 2, minBars: 3, maxBars: 500);

        // Friday, Wednesday (Thursday is a holiday), Tuesday.
        Assert.Equal(Ist(new DateOnly(2026, 11, 17), 9, 15), start);
        Assert.Equal(3, bars);
    }

    [Fact]
    public void The_window_never_holds_more_than_the_maximum()
    {
        (DateTime start, int bars) = CandleHistoryWindow.Of(SessionCalendar.Crypto, CandleInterval.OneMinute, new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc), 2, 0, 500);

        Assert.Equal(500, bars);
        Assert.Equal(new DateTime(2026, 11, 20, 3, 40, 0, DateTimeKind.Utc), start);
    }

    [Fact]
    public void Bars_between_two_times_count_only_closed_bars_inside_sessions()
    {
        // Thursday 15:00 to Friday 09:30: 10 bars on Thursday (15:00 … 15:27), 5 on Friday.
        int bars = CandleHistoryWindow.BarsBetween(SessionCalendar.IndianEquity, M3, Ist(new DateOnly(2026, 11, 19), 15, 0), Ist(9, 30));

        Assert.Equal(15, bars);
    }
}
