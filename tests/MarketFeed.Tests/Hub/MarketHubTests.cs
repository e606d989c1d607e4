using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Hub;

public class MarketHubTests
{
    [Fact]
    public async Task Ticks_nobody_wants_are_dropped_and_counted_even_when_the_venue_sends_them()
    {
        await using var f = new HubFixture();
        HubSubscriber reliance = f.Watch(f.Reliance);
        await f.PublishAsync(f.TickOf(f.Infy, 1500), f.TickOf(f.Reliance, 2900));

        Tick only = Assert.Single(HubFixture.Drain(reliance));
        Assert.Equal(f.Reliance.Id, only.Instrument);
        Assert.Equal(1, f.Hub.Quality().DroppedUnwanted);
        Assert.False(f.Hub.Quotes.TryGetLatest(f.Infy.Id, out _));
    }

    [Fact]
    public async Task Invalid_prices_quantities_and_future_timestamps_are_rejected_and_counted()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        Tick zeroPrice = f.TickOf(f.Reliance, 0);
        Tick negativeQty = f.TickOf(f.Reliance, 2900) with { Ltq = Quantity.FromUnits(-5) };
        Tick future = f.TickOf(f.Reliance, 2900, at: f.Now.AddHours(1));
        await f.PublishAsync(zeroPrice, negativeQty, future);

        Assert.Empty(HubFixture.Drain(subscriber));
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal((1, 1, 1, 0), (quality.RejectedInvalidPrice, quality.RejectedInvalidQuantity, quality.RejectedFutureTimestamp, quality.Accepted));
    }

    [Fact]
    public async Task An_inconsistent_tick_is_rejected_counted_and_never_reaches_the_quote_or_candles()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        Tick good = f.TickOf(f.Reliance, 2900, 1000) with { High = Price.FromDecimal(2910), Low = Price.FromDecimal(2890) };
        Tick highBelowLow = good with { Ltp = Price.FromDecimal(2901), High = Price.FromDecimal(2880) };
        Tick crossed = good with { Ltp = Price.FromDecimal(2902), Bid = Price.FromDecimal(2903), Ask = Price.FromDecimal(2902.95m) };
        Tick absurdVolume = good with { Ltp = Price.FromDecimal(2903), Volume = Quantity.FromRaw(long.MaxValue - 1) };
        await f.PublishAsync(good, highBelowLow, crossed, absurdVolume);

        Assert.Equal([Price.FromDecimal(2900)], HubFixture.Drain(subscriber).Select(t => t.Ltp));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Reliance.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(2900), latest.Ltp);
        CandleSnapshot candles = await f.Hub.GetCandlesAsync(f.Reliance.Id, CandleInterval.OneMinute, 10);
        Assert.Equal(Price.FromDecimal(2900), candles.Current!.Value.High);
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal((3L, 3L, 1L), (quality.RejectedInconsistent, quality.Rejected, quality.Accepted));
    }

    [Fact]
    public async Task A_far_last_price_inside_a_consistent_day_range_is_still_flagged_an_outlier()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        Tick first = f.TickOf(f.Reliance, 2900) with { High = Price.FromDecimal(2910), Low = Price.FromDecimal(2890) };
        await f.PublishAsync(first, f.TickOf(f.Reliance, 3500) with { High = Price.FromDecimal(3500), Low = Price.FromDecimal(2890) });

        List<Tick> ticks = HubFixture.Drain(subscriber);
        Assert.True((ticks[1].Flags & TickFlags.Outlier) != 0);
        Assert.Equal((0L, 1L), (f.Hub.Quality().RejectedInconsistent, f.Hub.Quality().FlaggedOutlier));
    }

    [Fact]
    public async Task An_exact_duplicate_is_dropped()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        Tick tick = f.TickOf(f.Reliance, 2900, 1000);
        await f.PublishAsync(tick, tick, tick with { Ltp = Price.FromDecimal(2900.05m) });

        Assert.Equal(2, HubFixture.Drain(subscriber).Count);
        Assert.Equal(1, f.Hub.Quality().DroppedDuplicate);
    }

    [Fact]
    public async Task Out_of_order_ticks_are_flagged_delivered_and_do_not_overwrite_the_newer_quote()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900, at: f.Now), f.TickOf(f.Reliance, 2899, at: f.Now.AddSeconds(-2)));

        List<Tick> ticks = HubFixture.Drain(subscriber);
        Assert.Equal(TickFlags.OutOfOrder, ticks[1].Flags & TickFlags.OutOfOrder);
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Reliance.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(2900), latest.Ltp);
        Assert.Equal(1, f.Hub.Quality().FlaggedOutOfOrder);
    }

    [Fact]
    public async Task An_outlier_is_delivered_flagged_but_kept_out_of_candles_until_the_new_level_is_confirmed()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900), f.TickOf(f.Reliance, 3500));

        List<Tick> ticks = HubFixture.Drain(subscriber);
        Assert.True((ticks[1].Flags & TickFlags.Outlier) != 0);
        CandleSnapshot candles = await f.Hub.GetCandlesAsync(f.Reliance.Id, CandleInterval.OneMinute, 10);
        Assert.Equal(Price.FromDecimal(2900), candles.Current!.Value.High);

        await f.PublishAsync(f.TickOf(f.Reliance, 3501), f.TickOf(f.Reliance, 3502));
        ticks = HubFixture.Drain(subscriber);
        Assert.Equal([true, false], ticks.Select(t => (t.Flags & TickFlags.Outlier) != 0));
        candles = await f.Hub.GetCandlesAsync(f.Reliance.Id, CandleInterval.OneMinute, 10);
        Assert.Equal(Price.FromDecimal(3502), candles.Current!.Value.High);
    }

    [Fact]
    public async Task A_jump_too_large_for_64_bit_band_arithmetic_is_still_an_outlier_kept_out_of_the_quote_and_the_reference()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Infy);
        await f.PublishAsync(f.TickOf(f.Infy, 1500), f.TickOf(f.Infy, 10_000_000m), f.TickOf(f.Infy, 1501));

        Assert.Equal([false, true, false], HubFixture.Drain(subscriber).Select(t => (t.Flags & TickFlags.Outlier) != 0));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Infy.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(1501), latest.Ltp);
        Assert.Equal(1, f.Hub.Quality().FlaggedOutlier);
        CandleSnapshot candles = await f.Hub.GetCandlesAsync(f.Infy.Id, CandleInterval.OneMinute, 10);
        Assert.Equal(Price.FromDecimal(1501), candles.Current!.Value.High);
    }

    [Fact]
    public async Task An_unconfirmed_outlier_does_not_become_the_latest_quote()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Infy);
        await f.PublishAsync(f.TickOf(f.Infy, 1500), f.TickOf(f.Infy, 100_000m));

        Assert.True((HubFixture.Drain(subscriber)[1].Flags & TickFlags.Outlier) != 0);
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Infy.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(1500), latest.Ltp);
    }

    [Fact]
    public async Task Repeats_of_the_same_outlier_print_do_not_confirm_it()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Infy);
        Tick bad = f.TickOf(f.Infy, 15_000m, 2_000);
        await f.PublishAsync(f.TickOf(f.Infy, 1500, 1_000), bad, bad, bad, bad);

        Assert.All(HubFixture.Drain(subscriber).Skip(1), t => Assert.True((t.Flags & TickFlags.Outlier) != 0));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Infy.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(1500), latest.Ltp);
    }

    [Fact]
    public async Task A_tick_stamped_minutes_ahead_is_the_latest_quote_but_does_not_freeze_ordering_or_candles()
    {
        await using var f = new HubFixture(start: new DateTimeOffset(TestInstruments.Ist(10, 0, 10), TimeSpan.Zero));
        HubSubscriber subscriber = f.Watch(f.Reliance);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900, 1000), f.TickOf(f.Reliance, 2901, 1100, at: f.Now.AddMinutes(9)));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Reliance.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(2901), latest.Ltp);

        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        await f.PublishAsync(f.TickOf(f.Reliance, 2902, 1200));
        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        await f.PublishAsync(f.TickOf(f.Reliance, 2903, 1300));

        List<Tick> ticks = HubFixture.Drain(subscriber);
        Assert.Equal(
            [TickFlags.None, TickFlags.ClockAhead, TickFlags.None, TickFlags.None],
            ticks.Select(t => t.Flags & (TickFlags.ClockAhead | TickFlags.OutOfOrder | TickFlags.Outlier)));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Reliance.Id, out latest));
        Assert.Equal(Price.FromDecimal(2903), latest.Ltp);
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal((1L, 0L, 0L, 4L), (quality.FlaggedClockAhead, quality.FlaggedOutOfOrder, quality.LateForCandles, quality.Accepted));

        // The future tick went into the bar of its receive time; no bar was opened nine minutes ahead.
        CandleSnapshot candles = await f.Hub.GetCandlesAsync(f.Reliance.Id, CandleInterval.OneMinute, 10);
        Candle bar = candles.Current!.Value;
        Assert.Empty(candles.Closed);
        Assert.Equal(
            (TestInstruments.Ist(10, 0), Price.FromDecimal(2900), Price.FromDecimal(2903), Price.FromDecimal(2903), Quantity.FromUnits(300)),
            (bar.Start, bar.Open, bar.High, bar.Close, bar.Volume));
    }

    [Fact]
    public async Task A_feed_whose_times_are_always_ahead_of_this_machine_keeps_ticking_and_builds_candles_by_receive_time()
    {
        await using var f = new HubFixture(start: new DateTimeOffset(TestInstruments.Ist(10, 0), TimeSpan.Zero));
        HubSubscriber subscriber = f.Watch(f.Reliance);
        for (int second = 0; second < 150; second++)
        {
            // This machine's clock is 30 s behind the venue's.
            await f.PublishAsync(f.TickOf(f.Reliance, 2900 + (second * 0.05m), 1000 + second, at: f.Now.AddSeconds(30)));
            await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        List<Tick> ticks = HubFixture.Drain(subscriber);
        Assert.Equal(150, ticks.Count);
        Assert.All(ticks, t => Assert.Equal(TickFlags.ClockAhead, t.Flags & (TickFlags.ClockAhead | TickFlags.OutOfOrder | TickFlags.Outlier)));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Reliance.Id, out Tick latest));
        Assert.Equal(Price.FromDecimal(2900 + (149 * 0.05m)), latest.Ltp);
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal((150L, 0L, 0L), (quality.FlaggedClockAhead, quality.FlaggedOutOfOrder, quality.LateForCandles));

        CandleSnapshot candles = await f.Hub.GetCandlesAsync(f.Reliance.Id, CandleInterval.OneMinute, 10);
        Assert.Equal([TestInstruments.Ist(10, 0), TestInstruments.Ist(10, 1)], candles.Closed.Select(c => c.Start));
        Assert.Equal(Price.FromDecimal(2900 + (59 * 0.05m)), candles.Closed[0].Close);
        Assert.Equal(TestInstruments.Ist(10, 2), candles.Current!.Value.Start);
        Assert.Equal(Price.FromDecimal(2900 + (149 * 0.05m)), candles.Current!.Value.Close);
    }

    [Fact]
    public async Task Only_time_beyond_the_tolerance_is_untrusted_and_beyond_the_clock_skew_limit_it_is_rejected()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        await f.PublishAsync(
            f.TickOf(f.Reliance, 2900, at: f.Now.AddSeconds(2)),
            f.TickOf(f.Reliance, 2901, at: f.Now.AddSeconds(2).AddMilliseconds(1)),
            f.TickOf(f.Reliance, 2902, at: f.Now.AddMinutes(10)),
            f.TickOf(f.Reliance, 2903, at: f.Now.AddMinutes(10).AddMilliseconds(1)));

        Assert.Equal(
            [TickFlags.None, TickFlags.ClockAhead, TickFlags.ClockAhead],
            HubFixture.Drain(subscriber).Select(t => t.Flags & TickFlags.ClockAhead));
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal((2L, 1L, 3L), (quality.FlaggedClockAhead, quality.RejectedFutureTimestamp, quality.Accepted));
    }

    [Fact]
    public async Task Sequence_numbers_increase_by_one_per_instrument()
    {
        await using var f = new HubFixture();
        HubSubscriber reliance = f.Watch(f.Reliance);
        HubSubscriber infy = f.Watch(f.Infy);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900), f.TickOf(f.Infy, 1500), f.TickOf(f.Reliance, 2901), f.TickOf(f.Reliance, 2902));
        Assert.Equal([1L, 2L, 3L], HubFixture.Drain(reliance).Select(t => t.Seq));
        Assert.Equal([1L], HubFixture.Drain(infy).Select(t => t.Seq));
    }

    [Fact]
    public async Task The_clock_closes_candles_with_no_tick_and_the_close_reaches_subscribers()
    {
        await using var f = new HubFixture(start: new DateTimeOffset(TestInstruments.Ist(10, 0, 10), TimeSpan.Zero));
        HubSubscriber subscriber = f.Watch(f.Reliance);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900, 1000), f.TickOf(f.Reliance, 2905, 1300));
        HubFixture.DrainCandles(subscriber);

        await f.AdvanceAsync(TimeSpan.FromSeconds(50.3));

        CandleEvent close = Assert.Single(HubFixture.DrainCandles(subscriber), c => c.IsClose);
        Assert.Equal(TestInstruments.Ist(10, 0), close.Candle.Start);
        Assert.Equal(Quantity.FromUnits(300), close.Candle.Volume);
        Assert.Equal(Price.FromDecimal(2905), close.Candle.Close);
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_loses_only_the_oldest_ticks_counted_and_slows_nobody()
    {
        await using var f = new HubFixture();
        HubSubscriber stalled = f.Watch(f.Reliance, new SubscriberOptions { TickCapacity = 10 });
        HubSubscriber reader = f.Watch(f.Reliance, new SubscriberOptions());
        for (int i = 1; i <= 100; i++)
        {
            Assert.True(f.Hub.TryPublish(f.TickOf(f.Reliance, 2900 + (i * 0.05m))));
        }

        await f.Hub.FlushAsync();
        Assert.Equal(100, HubFixture.Drain(reader).Count);
        List<Tick> kept = HubFixture.Drain(stalled);
        Assert.Equal(Enumerable.Range(91, 10).Select(i => (long)i), kept.Select(t => t.Seq));
        Assert.Equal(90, stalled.TicksDropped);
        Assert.Equal(90, f.Hub.Quality().SubscriberDropped);
    }

    [Fact]
    public async Task A_conflating_subscriber_gets_the_latest_tick_per_instrument()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Hub.CreateSubscriber(new SubscriberOptions { TickPolicy = TickQueuePolicy.ConflateLatest });
        foreach (var instrument in new[] { f.Reliance, f.Infy })
        {
            f.Hub.Watch(subscriber, instrument.Id);
            f.Subscriptions.Acquire(instrument.Id, FeedMode.Ltp);
        }

        await f.PublishAsync(f.TickOf(f.Reliance, 2900), f.TickOf(f.Infy, 1500), f.TickOf(f.Reliance, 2901), f.TickOf(f.Reliance, 2902), f.TickOf(f.Infy, 1501));
        List<Tick> ticks = HubFixture.Drain(subscriber);
        // Instruments on different partitions have no order between them; per instrument the latest wins.
        Assert.Equal(
            [(f.Reliance.Id, 2902m, 3L), (f.Infy.Id, 1501m, 2L)],
            ticks.Select(t => (t.Instrument, t.Ltp.ToDecimal(), t.Seq)).OrderBy(t => t.Instrument.Value));
        Assert.Equal(3, subscriber.TicksConflated);
    }

    [Fact]
    public async Task Candle_closes_are_never_dropped_for_a_subscriber_that_does_not_read()
    {
        await using var f = new HubFixture(start: new DateTimeOffset(TestInstruments.Ist(10, 0), TimeSpan.Zero));
        HubSubscriber stalled = f.Watch(f.Reliance, new SubscriberOptions { TickCapacity = 1, CandleIntervals = [CandleInterval.Parse("1s")] });
        for (int second = 0; second < 120; second++)
        {
            await f.PublishAsync(f.TickOf(f.Reliance, 2900 + (second * 0.05m)));
            await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        List<CandleEvent> candles = HubFixture.DrainCandles(stalled);
        Assert.Equal(120, candles.Count(c => c.IsClose));
        Assert.True(candles.Zip(candles.Skip(1)).All(p => p.Second.Seq > p.First.Seq));
        Assert.Equal(candles.Where(c => c.IsClose).Select(c => c.Candle.Start).Distinct().Count(), candles.Count(c => c.IsClose));
    }

    [Fact]
    public async Task Unwatch_purges_what_is_pending_so_nothing_of_the_instrument_arrives_after_it()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        f.Hub.Watch(subscriber, f.Infy.Id);
        f.Subscriptions.Acquire(f.Infy.Id, FeedMode.Quote);
        await f.PublishAsync(f.TickOf(f.Reliance, 2900), f.TickOf(f.Infy, 1500));

        f.Hub.Unwatch(subscriber, f.Reliance.Id);
        await f.PublishAsync(f.TickOf(f.Reliance, 2901));

        Assert.All(HubFixture.Drain(subscriber), t => Assert.Equal(f.Infy.Id, t.Instrument));
        Assert.All(HubFixture.DrainCandles(subscriber), c => Assert.Equal(f.Infy.Id, c.Instrument));
    }

    [Fact]
    public async Task The_async_reader_wakes_for_new_ticks_and_finishes_when_the_hub_stops()
    {
        var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Reliance);
        Task<List<Tick>> reading = Task.Run(async () =>
        {
            var seen = new List<Tick>();
            await foreach (Tick tick in subscriber.ReadTicksAsync())
            {
                seen.Add(tick);
            }

            return seen;
        });

        await f.PublishAsync(f.TickOf(f.Reliance, 2900), f.TickOf(f.Reliance, 2901));
        await f.DisposeAsync();
        List<Tick> received = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, received.Count);
    }
}
