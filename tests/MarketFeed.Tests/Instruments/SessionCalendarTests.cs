using MarketFeed.Instruments;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Instruments;

public class SessionCalendarTests
{
    private readonly SessionCalendar _nse = SessionCalendar.IndianEquity;

    [Fact]
    public void Nse_is_open_09_15_to_15_30_ist_on_weekdays()
    {
        Assert.False(_nse.IsOpen(Ist(9, 14, 59)));
        Assert.True(_nse.IsOpen(Ist(9, 15)));
        Assert.True(_nse.IsOpen(Ist(15, 29, 59)));
        Assert.False(_nse.IsOpen(Ist(15, 30)));
        Assert.False(_nse.IsOpen(Ist(new DateOnly(2026, 11, 21), 11, 0)));
    }

    [Fact]
    public void Holidays_are_closed()
    {
        SessionCalendar calendar = _nse.WithHolidays([new DateOnly(2026, 11, 20)]);
        Assert.False(calendar.IsOpen(Ist(11, 0)));
    }

    [Fact]
    public void After_friday_close_the_next_session_is_monday()
    {
        SessionWindow next = _nse.CurrentOrNextSession(Ist(16, 0));
        Assert.Equal(new DateOnly(2026, 11, 23), next.TradingDay);
        Assert.Equal(Ist(new DateOnly(2026, 11, 23), 9, 15), next.OpenUtc);
    }

    [Fact]
    public void Around_the_clock_keeps_the_09_15_anchor_and_never_closes()
    {
        SessionCalendar always = _nse.AroundTheClock();
        Assert.True(always.IsOpen(Ist(new DateOnly(2026, 11, 22), 3, 0)));
        SessionWindow session = always.SessionAt(Ist(8, 0))!.Value;
        Assert.Equal(Ist(new DateOnly(2026, 11, 19), 9, 15), session.OpenUtc);
        Assert.Equal(Ist(9, 15), session.CloseUtc);
    }

    [Fact]
    public void Crypto_days_start_at_midnight_utc()
    {
        var at = new DateTime(2026, 11, 21, 23, 59, 0, DateTimeKind.Utc);
        SessionWindow session = SessionCalendar.Crypto.SessionAt(at)!.Value;
        Assert.Equal(new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc), session.OpenUtc);
        Assert.Equal(new DateOnly(2026, 11, 21), session.TradingDay);
    }
}
