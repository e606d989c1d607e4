using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Candles;

public class CandleSeriesTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);
    private readonly RecordingCandleSink _sink = new();

    private static CandleSeries Series(string interval, SessionCalendar? calendar = null, int history = 500, EmptyIntervalPolicy empty = EmptyIntervalPolicy.Skip) =>
        new(new InstrumentId(1), CandleInterval.Parse(interval), calendar ?? SessionCalendar.IndianEquity, history, empty);

    private static Price P(decimal value) => Price.FromDecimal(value);

    private static Quantity Q(long units) => Quantity.FromUnits(units);

    [Fact]
    public void Three_minute_bars_start_at_the_session_open_and_the_last_starts_at_15_27()
    {
        CandleSeries series = Series("3m");
        for (DateTime t = Ist(9, 15, 30); t < Ist(15, 30); t = t.AddMinutes(1))
        {
            series.Apply(t, P(100), Q(1), _sink);
        }

        series.Advance(Ist(15, 31), Grace, _sink);
        var starts = _sink.Closes.Select(c => c.Candle.Start).ToList();
        Assert.Equal(125, starts.Count);
        Assert.Equal(Ist(9, 15), starts[0]);
        Assert.Equal(Ist(9, 18), starts[1]);
        Assert.Equal(Ist(15, 27), starts[^1]);
        Assert.Equal(Ist(15, 30), _sink.Closes[^1].Candle.End);
    }

    [Fact]
    public void Sixty_minute_bars_run_09_15_to_14_15_then_a_clipped_15_15_to_15_30_bar()
    {
        CandleSeries series = Series("60m");
        for (DateTime t = Ist(9, 15, 1); t < Ist(15, 30); t = t.AddMinutes(5))
        {
            series.Apply(t, P(100), Q(1), _sink);
        }

        series.Advance(Ist(15, 30, 1), Grace, _sink);
        var bars = _sink.Closes.Select(c => c.Candle).ToList();
        Assert.Equal(
            [Ist(9, 15), Ist(10, 15), Ist(11, 15), Ist(12, 15), Ist(13, 15), Ist(14, 15), Ist(15, 15)],
            bars.Select(b => b.Start));
        Assert.Equal(Ist(15, 30), bars[^1].End);
    }

    [Fact]
    public void One_day_bar_is_the_whole_session()
    {
        CandleSeries series = Series("1d");
        series.Apply(Ist(9, 15, 5), P(100), Q(1), _sink);
        series.Apply(Ist(15, 29, 59), P(104), Q(1), _sink);
        Candle current = series.Current!.Value;
        Assert.Equal(Ist(9, 15), current.Start);
        Assert.Equal(Ist(15, 30), current.End);
    }

    [Fact]
    public void Crypto_bars_are_anchored_at_midnight_utc()
    {
        CandleSeries series = Series("5m", SessionCalendar.Crypto);
        series.Apply(new DateTime(2026, 11, 20, 0, 7, 31, DateTimeKind.Utc), P(90_000), Q(1), _sink);
        Assert.Equal(new DateTime(2026, 11, 20, 0, 5, 0, DateTimeKind.Utc), series.Current!.Value.Start);
    }

    [Fact]
    public void Merges_open_high_low_close_volume_and_tick_count()
    {
        CandleSeries series = Series("1m");
        series.Apply(Ist(9, 15, 1), P(100), Q(10), _sink);
        series.Apply(Ist(9, 15, 2), P(103), Q(5), _sink);
        series.Apply(Ist(9, 15, 3), P(98.5m), Q(7), _sink);
        series.Apply(Ist(9, 15, 4), P(101), Q(3), _sink);
        Assert.Equal(new Candle(Ist(9, 15), Ist(9, 16), P(100), P(103), P(98.5m), P(101), Q(25), 4, CandleFlags.None), series.Current);
        Assert.Equal(4, _sink.Updates.Count);
    }

    [Fact]
    public void The_timer_closes_a_bar_at_the_boundary_plus_grace_without_any_tick()
    {
        CandleSeries series = Series("3m");
        series.Apply(Ist(9, 16), P(100), Q(1), _sink);

        series.Advance(Ist(9, 18, 0, 100), Grace, _sink);
        Assert.Empty(_sink.Closes);

        series.Advance(Ist(9, 18, 0, 250), Grace, _sink);
        Candle closed = Assert.Single(_sink.Closes).Candle;
        Assert.True(closed.IsClosed);
        Assert.Equal(Ist(9, 15), closed.Start);
        Assert.Null(series.Current);
    }

    [Fact]
    public void A_tick_stamped_before_the_boundary_arriving_within_grace_lands_in_its_bar()
    {
        CandleSeries series = Series("3m");
        series.Apply(Ist(9, 16), P(100), Q(1), _sink);
        series.Advance(Ist(9, 18, 0, 50), Grace, _sink);
        Assert.True(series.Apply(Ist(9, 17, 59, 980), P(101), Q(1), _sink));

        series.Advance(Ist(9, 18, 1), Grace, _sink);
        Candle closed = Assert.Single(_sink.Closes).Candle;
        Assert.Equal(P(101), closed.Close);
        Assert.Equal(2, closed.Ticks);
    }

    [Fact]
    public void A_tick_later_than_the_grace_is_counted_and_not_merged()
    {
        CandleSeries series = Series("3m");
        series.Apply(Ist(9, 16), P(100), Q(1), _sink);
        series.Advance(Ist(9, 18, 1), Grace, _sink);

        Assert.False(series.Apply(Ist(9, 17, 59), P(150), Q(1), _sink));
        Assert.Equal(1, series.LateTicks);
        Assert.Equal(P(100), series.History(1)[0].High);
        Assert.Null(series.Current);
    }

    [Fact]
    public void A_tick_past_the_boundary_closes_the_bar_before_the_timer_does()
    {
        CandleSeries series = Series("1m");
        series.Apply(Ist(9, 15, 10), P(100), Q(1), _sink);
        series.Apply(Ist(9, 16, 0, 5), P(101), Q(1), _sink);
        Candle closed = Assert.Single(_sink.Closes).Candle;
        Assert.Equal(Ist(9, 15), closed.Start);
        Assert.Equal(Ist(9, 16), series.Current!.Value.Start);
    }

    [Fact]
    public void Skip_policy_leaves_empty_intervals_out()
    {
        CandleSeries series = Series("1m");
        series.Apply(Ist(9, 15, 10), P(100), Q(1), _sink);
        series.Advance(Ist(9, 20), Grace, _sink);
        series.Apply(Ist(9, 20, 10), P(101), Q(1), _sink);
        series.Advance(Ist(9, 21, 1), Grace, _sink);
        Assert.Equal([Ist(9, 15), Ist(9, 20)], _sink.Closes.Select(c => c.Candle.Start));
    }

    [Fact]
    public void Flat_policy_fills_empty_intervals_from_the_previous_close_on_the_timer()
    {
        CandleSeries series = Series("1m", empty: EmptyIntervalPolicy.FlatFromPreviousClose);
        series.Apply(Ist(9, 15, 10), P(100), Q(1), _sink);
        series.Apply(Ist(9, 15, 20), P(102), Q(1), _sink);
        series.Advance(Ist(9, 18, 1), Grace, _sink);

        var closes = _sink.Closes.Select(c => c.Candle).ToList();
        Assert.Equal([Ist(9, 15), Ist(9, 16), Ist(9, 17)], closes.Select(c => c.Start));
        Candle flat = closes[1];
        Assert.True(flat.IsFlat);
        Assert.Equal((P(102), P(102), P(102), P(102), Quantity.Zero, 0), (flat.Open, flat.High, flat.Low, flat.Close, flat.Volume, flat.Ticks));
    }

    [Fact]
    public void Flat_policy_fills_the_gap_when_a_tick_opens_a_later_bar_before_the_timer_ran()
    {
        CandleSeries series = Series("1m", empty: EmptyIntervalPolicy.FlatFromPreviousClose);
        series.Apply(Ist(9, 15, 10), P(100), Q(1), _sink);
        series.Apply(Ist(9, 18, 10), P(101), Q(1), _sink);
        Assert.Equal([Ist(9, 15), Ist(9, 16), Ist(9, 17)], _sink.Closes.Select(c => c.Candle.Start));
        Assert.Equal(Ist(9, 18), series.Current!.Value.Start);
    }

    [Fact]
    public void Flat_policy_never_fills_outside_the_session_or_before_the_sessions_first_tick()
    {
        CandleSeries series = Series("1m", empty: EmptyIntervalPolicy.FlatFromPreviousClose);
        series.Advance(Ist(9, 20), Grace, _sink);
        Assert.Empty(_sink.Closes);

        series.Apply(Ist(15, 28, 10), P(100), Q(1), _sink);
        series.Advance(Ist(18, 0), Grace, _sink);
        Assert.Equal([Ist(15, 28), Ist(15, 29)], _sink.Closes.Select(c => c.Candle.Start));

        // Next trading day (Monday): nothing until its first real tick.
        var monday = new DateOnly(2026, 11, 23);
        series.Advance(Ist(monday, 9, 30), Grace, _sink);
        Assert.Equal(2, _sink.Closes.Count);
    }

    [Fact]
    public void Ticks_outside_the_session_are_counted_and_build_nothing()
    {
        CandleSeries series = Series("1m");
        Assert.False(series.Apply(Ist(9, 5), P(100), Q(1), _sink));
        Assert.False(series.Apply(Ist(15, 45), P(100), Q(1), _sink));
        Assert.False(series.Apply(Ist(new DateOnly(2026, 11, 21), 10, 0), P(100), Q(1), _sink));
        Assert.Equal(3, series.OutsideSessionTicks);
        Assert.Null(series.Current);
    }

    [Fact]
    public void History_keeps_the_most_recent_closed_bars_up_to_its_capacity()
    {
        CandleSeries series = Series("1m", history: 3);
        for (int minute = 0; minute < 6; minute++)
        {
            series.Apply(Ist(9, 15 + minute, 5), P(100 + minute), Q(1), _sink);
        }

        series.Advance(Ist(9, 22), Grace, _sink);
        Candle[] history = series.History(10);
        Assert.Equal([Ist(9, 18), Ist(9, 19), Ist(9, 20)], history.Select(c => c.Start));
    }

    [Fact]
    public void Seeded_history_is_kept_and_live_ticks_before_its_end_are_late()
    {
        CandleSeries series = Series("1m");
        series.Seed(new Candle(Ist(9, 15), Ist(9, 16), P(100), P(101), P(99), P(100.5m), Q(1000), 0, CandleFlags.Closed));
        Assert.False(series.Apply(Ist(9, 15, 30), P(100), Q(1), _sink));
        Assert.True(series.Apply(Ist(9, 16, 30), P(100), Q(1), _sink));
        Assert.True((series.History(1)[0].Flags & CandleFlags.History) != 0);
    }
}
