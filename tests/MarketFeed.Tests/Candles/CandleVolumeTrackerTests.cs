using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Candles;

public class CandleVolumeTrackerTests
{
    private readonly CandleVolumeTracker _tracker = new(SessionCalendar.IndianEquity);

    private static Tick Cumulative(DateTime at, long volume) =>
        new(new InstrumentId(1)) { ExchangeTime = at, ReceiveTime = at, Ltp = Price.FromDecimal(100), Volume = Quantity.FromUnits(volume), Flags = TickFlags.CumulativeVolume };

    private long Delta(Tick tick) => (long)_tracker.DeltaOf(in tick).ToDecimal();

    [Fact]
    public void Candle_volume_is_the_change_in_cumulative_day_volume()
    {
        Assert.Equal(0, Delta(Cumulative(Ist(10, 0), 5_000)));
        Assert.Equal(120, Delta(Cumulative(Ist(10, 0, 1), 5_120)));
        Assert.Equal(0, Delta(Cumulative(Ist(10, 0, 2), 5_120)));
        Assert.Equal(30, Delta(Cumulative(Ist(10, 0, 3), 5_150)));
    }

    [Fact]
    public void The_first_value_seen_mid_day_is_only_a_baseline()
    {
        Assert.Equal(0, Delta(Cumulative(Ist(13, 0), 1_000_000)));
    }

    [Fact]
    public void A_new_trading_day_resets_the_counter_so_the_first_delta_is_the_new_cumulative()
    {
        Delta(Cumulative(Ist(15, 29), 9_000_000));
        var monday = new DateOnly(2026, 11, 23);
        Assert.Equal(700, Delta(Cumulative(Ist(monday, 9, 15, 1), 700)));
        Assert.Equal(50, Delta(Cumulative(Ist(monday, 9, 15, 2), 750)));
    }

    [Fact]
    public void A_decrease_within_the_day_is_never_negative_volume_and_is_counted()
    {
        Delta(Cumulative(Ist(10, 0), 5_000));
        Assert.Equal(0, Delta(Cumulative(Ist(10, 0, 1), 4_000)));
        Assert.Equal(1, _tracker.Resets);
        Assert.Equal(10, Delta(Cumulative(Ist(10, 0, 2), 4_010)));
    }

    [Fact]
    public void Trade_venues_add_each_trade_quantity()
    {
        var trade = new Tick(new InstrumentId(1)) { ExchangeTime = Ist(10, 0), Ltp = Price.FromDecimal(100), Ltq = Quantity.FromDecimal(0.25m), Flags = TickFlags.Trade };
        Assert.Equal(Quantity.FromDecimal(0.25m), _tracker.DeltaOf(in trade));
    }

    [Fact]
    public void Ticks_without_volume_semantics_add_nothing()
    {
        var index = new Tick(new InstrumentId(1)) { ExchangeTime = Ist(10, 0), Ltp = Price.FromDecimal(24_000) };
        Assert.Equal(Quantity.Zero, _tracker.DeltaOf(in index));
    }
}
