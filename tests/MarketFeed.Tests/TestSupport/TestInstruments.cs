using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Tests.TestSupport;

/// <summary>Instrument definitions for tests that need one without a feed.</summary>
internal static class TestInstruments
{
    public static Instrument Equity(string symbol = "RELIANCE", SessionCalendar? calendar = null, string feed = "test") => new()
    {
        Exchange = "NSE",
        TradingSymbol = symbol,
        Name = symbol,
        Kind = InstrumentKind.Equity,
        TickSize = Price.FromScaled(5, 2),
        Calendar = calendar ?? SessionCalendar.IndianEquity,
        Feed = feed,
        NativeKey = symbol,
    };

    public static Instrument Crypto(string symbol = "BTCUSDT", string feed = "test") => new()
    {
        Exchange = "BINANCE",
        TradingSymbol = symbol,
        Name = symbol,
        Kind = InstrumentKind.Spot,
        TickSize = Price.FromScaled(1, 2),
        Calendar = SessionCalendar.Crypto,
        Feed = feed,
        NativeKey = symbol,
    };

    /// <summary>An IST wall-clock time on 2026-11-20 (a Friday) as UTC.</summary>
    public static DateTime Ist(int hour, int minute, int second = 0, int millisecond = 0) =>
        new DateTime(2026, 11, 20, hour, minute, second, millisecond, DateTimeKind.Utc).AddHours(-5).AddMinutes(-30);

    public static DateTime Ist(DateOnly day, int hour, int minute, int second = 0) =>
        day.ToDateTime(new TimeOnly(hour, minute, second), DateTimeKind.Utc).AddHours(-5).AddMinutes(-30);
}
