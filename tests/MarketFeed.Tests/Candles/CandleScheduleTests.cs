using MarketFeed.Candles;
using MarketFeed.Instruments;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Candles;

public class CandleScheduleTests
{
    [Fact]
    public void Hourly_bars_walk_back_across_the_weekend_with_the_clipped_last_bar_of_each_session()
    {
        var monday = new DateOnly(2026, 11, 23);
        var bars = CandleSchedule.BarsBefore(SessionCalendar.IndianEquity, CandleInterval.Parse("1h"), Ist(monday, 10, 30), 9);
        Assert.Equal(
            [
                (Ist(9, 15), Ist(10, 15)), (Ist(10, 15), Ist(11, 15)), (Ist(11, 15), Ist(12, 15)), (Ist(12, 15), Ist(13, 15)),
                (Ist(13, 15), Ist(14, 15)), (Ist(14, 15), Ist(15, 15)), (Ist(15, 15), Ist(15, 30)), (Ist(monday, 9, 15), Ist(monday, 10, 15)),
            ],
            bars.Skip(1));
        Assert.Equal((Ist(new DateOnly(2026, 11, 19), 15, 15), Ist(new DateOnly(2026, 11, 19), 15, 30)), bars[0]);
    }

    [Fact]
    public void Only_bars_that_have_ended_are_history()
    {
        var bars = CandleSchedule.BarsBefore(SessionCalendar.IndianEquity, CandleInterval.Parse("3m"), Ist(9, 20, 30), 5);
        Assert.Equal([(Ist(9, 15), Ist(9, 18))], bars.Skip(bars.Count - 1));
    }
}
