using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Hub;

/// <summary>Candle rules through the real hub, its timer driven by a manual clock.</summary>
public class HubPartitionClockTests
{
    private static readonly CandleInterval ThreeMinutes = CandleInterval.Parse("3m");

    private static HubFixture At(DateTime utc, EmptyIntervalPolicy empty = EmptyIntervalPolicy.Skip) =>
        new(new HubOptions { Partitions = 1, Candles = new CandleOptions { Intervals = ["1m", "3m"], EmptyIntervals = empty } }, new DateTimeOffset(utc, TimeSpan.Zero));

    private static HubSubscriber WatchCandles(HubFixture f) =>
        f.Watch(f.Reliance, new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute, ThreeMinutes], CandleUpdates = false });

    [Fact]
    public async Task Three_minute_bars_close_on_the_0915_grid_as_the_clock_passes_each_boundary()
    {
        await using HubFixture f = At(Ist(9, 15));
        HubSubscriber subscriber = WatchCandles(f);
        for (int second = 0; second < 12 * 60; second += 20)
        {
            await f.PublishAsync(f.TickOf(f.Reliance, 2900 + (second % 7)));
            await f.AdvanceAsync(TimeSpan.FromSeconds(20));
        }

        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        var closes = HubFixture.DrainCandles(subscriber).Where(c => c.Interval == ThreeMinutes).Select(c => c.Candle.Start).ToList();
        Assert.Equal([Ist(9, 15), Ist(9, 18), Ist(9, 21), Ist(9, 24)], closes);
    }

    [Fact]
    public async Task A_bar_closes_on_the_clock_alone_only_after_the_grace()
    {
        await using HubFixture f = At(Ist(9, 17));
        HubSubscriber subscriber = WatchCandles(f);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900));

        await f.AdvanceAsync(TimeSpan.FromSeconds(60.1));
        Assert.DoesNotContain(HubFixture.DrainCandles(subscriber), c => c.Interval == ThreeMinutes);

        await f.AdvanceAsync(TimeSpan.FromSeconds(0.2));
        CandleEvent close = Assert.Single(HubFixture.DrainCandles(subscriber), c => c.Interval == ThreeMinutes);
        Assert.Equal((Ist(9, 15), Ist(9, 18)), (close.Candle.Start, close.Candle.End));
    }

    [Fact]
    public async Task A_tick_after_the_grace_for_a_closed_bar_is_counted_late_and_changes_nothing()
    {
        await using HubFixture f = At(Ist(9, 17, 50));
        HubSubscriber subscriber = WatchCandles(f);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900));
        await f.AdvanceAsync(TimeSpan.FromSeconds(11));
        CandleEvent closed = Assert.Single(HubFixture.DrainCandles(subscriber), c => c.Interval == ThreeMinutes);

        await f.PublishAsync(f.TickOf(f.Reliance, 2950, at: Ist(9, 17, 59)));

        Assert.Equal(1, f.Hub.Quality().LateForCandles);
        Assert.Empty(HubFixture.DrainCandles(subscriber));
        CandleSnapshot snapshot = await f.Hub.GetCandlesAsync(f.Reliance.Id, ThreeMinutes, 5);
        Assert.Equal(closed.Candle, Assert.Single(snapshot.Closed));
        Assert.Null(snapshot.Current);
        Assert.Equal(2, HubFixture.Drain(subscriber).Count);
    }

    [Fact]
    public async Task A_relayed_feeds_bars_wait_its_longer_grace_so_a_tick_still_in_transit_lands_in_its_bar()
    {
        await using HubFixture f = At(Ist(9, 17, 50));
        f.Hub.UseCandleGrace(f.Reliance.Feed, TimeSpan.FromSeconds(2));
        HubSubscriber subscriber = WatchCandles(f);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900));
        await f.AdvanceAsync(TimeSpan.FromSeconds(11));
        Assert.Empty(HubFixture.DrainCandles(subscriber));

        // A second past the boundary, a tick stamped before it arrives (relayed from another gateway): it is in the bar.
        await f.PublishAsync(f.TickOf(f.Reliance, 2950, at: Ist(9, 17, 59)));
        await f.AdvanceAsync(TimeSpan.FromSeconds(1.5));
        CandleEvent close = Assert.Single(HubFixture.DrainCandles(subscriber), c => c.Interval == ThreeMinutes);
        Assert.Equal((Ist(9, 15), 2, Price.FromDecimal(2950m)), (close.Candle.Start, close.Candle.Ticks, close.Candle.Close));
        Assert.Equal(0, f.Hub.Quality().LateForCandles);
    }

    [Fact]
    public async Task Flat_bars_are_emitted_by_the_clock_when_no_tick_comes()
    {
        await using HubFixture f = At(Ist(9, 15, 10), EmptyIntervalPolicy.FlatFromPreviousClose);
        HubSubscriber subscriber = WatchCandles(f);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900));
        await f.AdvanceAsync(TimeSpan.FromMinutes(4));

        var ones = HubFixture.DrainCandles(subscriber).Where(c => c.Interval == CandleInterval.OneMinute).Select(c => c.Candle).ToList();
        Assert.Equal([Ist(9, 15), Ist(9, 16), Ist(9, 17), Ist(9, 18)], ones.Select(c => c.Start));
        Assert.Equal([false, true, true, true], ones.Select(c => c.IsFlat));
        Assert.All(ones, c => Assert.Equal(Price.FromDecimal(2900), c.Close));
    }

    [Fact]
    public async Task Volume_comes_from_cumulative_deltas_and_restarts_on_the_next_trading_day()
    {
        await using HubFixture f = At(Ist(15, 28));
        HubSubscriber subscriber = WatchCandles(f);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900, 10_000), f.TickOf(f.Reliance, 2901, 10_250));
        await f.AdvanceAsync(TimeSpan.FromMinutes(3));
        CandleEvent friday = HubFixture.DrainCandles(subscriber).Last(c => c.Interval == ThreeMinutes);
        Assert.Equal((Ist(15, 27), Ist(15, 30), Quantity.FromUnits(250)), (friday.Candle.Start, friday.Candle.End, friday.Candle.Volume));

        f.Clock.SetUtcNow(new DateTimeOffset(Ist(new DateOnly(2026, 11, 23), 9, 15, 5), TimeSpan.Zero));
        await f.PublishAsync(f.TickOf(f.Reliance, 2910, 600));
        CandleSnapshot monday = await f.Hub.GetCandlesAsync(f.Reliance.Id, ThreeMinutes, 5);
        Assert.Equal(Quantity.FromUnits(600), monday.Current!.Value.Volume);
    }
}
