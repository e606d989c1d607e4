using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Taps;
using MarketFeed.Tests.TestSupport;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Hub;

public class MarketHubRevisionTests
{
    private static readonly CandleInterval M1 = CandleInterval.OneMinute;
    private static readonly CandleInterval M5 = CandleInterval.Parse("5m");

    [Fact]
    public async Task A_revised_bar_replaces_the_live_one_and_reaches_subscribers_firehoses_and_the_store_with_old_and_new_values()
    {
        await using var f = new HubFixture();
        var written = new List<StoredCandle>();
        f.Hub.UseCandleWriter((rows, _) => { lock (written) { written.AddRange(rows); } return ValueTask.CompletedTask; });
        await using Firehose firehose = f.Hub.AttachFirehose(new FirehoseOptions { Lossless = true });
        HubSubscriber subscriber = f.Watch(f.Infy, new SubscriberOptions { CandleIntervals = [M1, M5] });
        await LiveBarsAsync(f, 10, 11, 12, 13, 14);
        HubFixture.DrainCandles(subscriber);

        Candle live = (await f.Hub.GetCandlesAsync(f.Infy.Id, M1, 10)).Closed.Single(c => c.Start == Ist(10, 1));
        Candle official = live with { High = Price.FromDecimal(120m), Close = Price.FromDecimal(119m), Flags = CandleFlags.Closed | CandleFlags.Revised };
        int changed = await f.Hub.ApplyCandleRevisionsAsync(f.Infy, M1, [official], CancellationToken.None);
        await f.Hub.FlushAsync();

        Assert.Equal(1, changed);
        Assert.DoesNotContain(HubFixture.DrainCandles(subscriber), c => c.IsClose);
        List<CandleRevision> revisions = DrainRevisions(subscriber);
        CandleRevision minute = Assert.Single(revisions, r => r.Interval == M1);
        Assert.Equal(live, minute.Old);
        Assert.Equal(Price.FromDecimal(120m), minute.New.High);
        Assert.Equal(CandleOrigin.Revised, minute.New.Origin);

        // The 5-minute bar over it is recomputed from the 1-minute bars and revised too.
        CandleRevision five = Assert.Single(revisions, r => r.Interval == M5);
        Assert.Equal(Ist(10, 0), five.New.Start);
        Assert.Equal(Price.FromDecimal(120m), five.New.High);
        Assert.Equal(Price.FromDecimal(14m), five.Old!.Value.High);
        CandleSnapshot fives = await f.Hub.GetCandlesAsync(f.Infy.Id, M5, 10);
        Assert.Equal(five.New, Assert.Single(fives.Closed));

        var fromFirehose = new List<CandleRevision>();
        while (firehose.TryRead(out FirehoseEvent item))
        {
            if (item.Kind == FirehoseEventKind.CandleRevised)
            {
                fromFirehose.Add(item.Revision);
            }
        }

        Assert.Equal(revisions, fromFirehose);
        Assert.Equal([(M1, Ist(10, 1)), (M5, Ist(10, 0))], written.Select(w => (w.Interval, w.Candle.Start)));
        Assert.All(written, w => Assert.Equal("NSE:INFY", w.Symbol));
    }

    [Fact]
    public async Task Backfilled_bars_are_inserted_in_order_where_the_series_had_none_and_the_forming_bar_is_untouched()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Infy, new SubscriberOptions { CandleIntervals = [M1] });
        await LiveBarsAsync(f, 10, 0, 0, 0, 10.4m);
        await f.PublishAsync(f.TickOf(f.Infy, 10.5m, at: f.Now));
        HubFixture.DrainCandles(subscriber);
        Assert.Equal([Ist(10, 0), Ist(10, 4)], (await f.Hub.GetCandlesAsync(f.Infy.Id, M1, 10)).Closed.Select(c => c.Start));

        Candle[] hole = [Bar(Ist(10, 2), 10.2m), Bar(Ist(10, 1), 10.1m), Bar(Ist(10, 3), 10.3m)];
        Candle forming = Bar(Ist(10, 5), 35m);
        Candle notEnded = Bar(Ist(10, 6), 36m);
        int changed = await f.Hub.ApplyCandleRevisionsAsync(f.Infy, M1, [.. hole, forming, notEnded], CancellationToken.None);

        Assert.Equal(3, changed);
        CandleSnapshot snapshot = await f.Hub.GetCandlesAsync(f.Infy.Id, M1, 10);
        Assert.Equal([Ist(10, 0), Ist(10, 1), Ist(10, 2), Ist(10, 3), Ist(10, 4)], snapshot.Closed.Select(c => c.Start));
        Assert.Equal(
            [CandleOrigin.Live, CandleOrigin.Backfilled, CandleOrigin.Backfilled, CandleOrigin.Backfilled, CandleOrigin.Live],
            snapshot.Closed.Select(c => c.Origin));
        Assert.Equal(Price.FromDecimal(10.5m), snapshot.Current!.Value.Close);
        List<CandleRevision> revisions = DrainRevisions(subscriber);
        Assert.Equal([Ist(10, 1), Ist(10, 2), Ist(10, 3)], revisions.Select(r => r.New.Start));
        Assert.All(revisions, r => Assert.Null(r.Old));
        Assert.True(revisions.Select(r => r.Seq).SequenceEqual(revisions.Select(r => r.Seq).Order()));

        // The same bars again change nothing.
        Assert.Equal(0, await f.Hub.ApplyCandleRevisionsAsync(f.Infy, M1, hole, CancellationToken.None));
    }

    [Fact]
    public async Task Bars_off_the_grid_are_skipped_and_unflagged_bars_are_refused()
    {
        await using var f = new HubFixture();
        f.Watch(f.Infy, new SubscriberOptions { CandleIntervals = [M1] });
        await LiveBarsAsync(f, 10, 11);

        Candle offGrid = Bar(Ist(10, 0).AddSeconds(30), 50m);
        Candle beforeOpen = Bar(Ist(9, 0), 50m);
        Assert.Equal(0, await f.Hub.ApplyCandleRevisionsAsync(f.Infy, M1, [offGrid, beforeOpen], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            f.Hub.ApplyCandleRevisionsAsync(f.Infy, M1, [Bar(Ist(10, 0), 50m) with { Flags = CandleFlags.Closed }], CancellationToken.None));
    }

    /// <summary>One live bar a minute from 10:00 (a price of 0 leaves that minute without ticks), then the clock past the last.</summary>
    private static async Task LiveBarsAsync(HubFixture f, params decimal[] prices)
    {
        for (int minute = 0; minute < prices.Length; minute++)
        {
            DateTime at = Ist(10, minute).AddSeconds(10);
            f.Clock.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));
            if (prices[minute] > 0)
            {
                await f.PublishAsync(f.TickOf(f.Infy, prices[minute], at: at));
            }

            await f.AdvanceAsync(TimeSpan.FromSeconds(51));
        }
    }

    private static Candle Bar(DateTime start, decimal price) =>
        new(start, start.AddMinutes(1), Price.FromDecimal(price), Price.FromDecimal(price), Price.FromDecimal(price), Price.FromDecimal(price), Quantity.FromUnits(10), 3, CandleFlags.Closed | CandleFlags.Backfilled);

    private static List<CandleRevision> DrainRevisions(HubSubscriber subscriber)
    {
        var revisions = new List<CandleRevision>();
        while (subscriber.TryReadRevision(out CandleRevision revision))
        {
            revisions.Add(revision);
        }

        return revisions;
    }
}
