using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>Bars missed while the feed was down, fetched from the venue when it is back, on a manual clock.</summary>
public class BackfillerTests
{
    [Fact]
    public async Task An_outage_of_minutes_ends_with_the_missing_bars_backfilled_in_order_and_delivered_as_revisions()
    {
        var options = new ReconciliationOptions
        {
            FirstCheckAfter = TimeSpan.FromSeconds(10),
            OfficialAfter = TimeSpan.Zero,
            BackfillAfter = TimeSpan.FromSeconds(5),
        };
        await using SimulatedReconciliation rig = await SimulatedReconciliation.StartAsync(options);
        DateTime open = TestInstruments.Ist(10, 0);
        await rig.DriveAsync(open.AddMinutes(2).AddSeconds(30), TimeSpan.FromSeconds(5));

        // Down from 10:02:30 to 10:06:10: the 10:02 bar closes with half its minute, 10:03 to 10:05 never form.
        rig.Feed.Disconnect("test outage");
        await rig.DriveAsync(open.AddMinutes(6).AddSeconds(10), TimeSpan.FromSeconds(1), ticks: false);
        Assert.Equal(FeedState.Reconnecting, rig.Feed.Health.State);
        rig.Feed.Connect();
        await rig.DriveAsync(open.AddMinutes(6).AddSeconds(20), TimeSpan.FromSeconds(2));
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Backfilled >= 3, maxSeconds: 30);
        await rig.Reconciler.Backfill.IdleAsync();

        IReadOnlyList<Candle> venue = await rig.VenueBarsAsync(open.AddMinutes(6), 6);
        CandleRevision[] inserted;
        Candle[] closes;
        lock (rig.Gate)
        {
            inserted = [.. rig.Revisions.Where(r => r.Old is null)];
            closes = [.. rig.Closes];
        }

        DateTime[] missed = [open.AddMinutes(3), open.AddMinutes(4), open.AddMinutes(5)];
        Assert.Equal(missed, inserted.Select(r => r.New.Start));
        Assert.All(inserted, r => Assert.True((r.New.Flags & CandleFlags.Backfilled) != 0, $"{r.New} is flagged backfilled"));
        Assert.All(inserted, r => Assert.True(OfficialCandleCheck.SameValues(venue.Single(v => v.Start == r.New.Start), r.New)));
        Assert.True(inserted.Select(r => r.Seq).SequenceEqual(inserted.Select(r => r.Seq).Order()), "delivered in order");

        // Never as live closes, and the series has no hole any more: 10:00 to 10:05, the venue's values from 10:02 on.
        Assert.DoesNotContain(closes, c => missed.Contains(c.Start));
        IReadOnlyList<Candle> held = await rig.LiveBarsAsync();
        Assert.Equal(Enumerable.Range(0, 6).Select(m => open.AddMinutes(m)), held.Take(6).Select(c => c.Start));
        Assert.All(held.Skip(2).Take(4), c => Assert.True(OfficialCandleCheck.SameValues(venue.Single(v => v.Start == c.Start), c), $"{c} is the venue's"));
        Assert.Equal(1, rig.Reconciler.Status().Outages);
    }

    [Fact]
    public async Task Backfilled_and_revised_bars_replace_what_the_sqlite_store_held()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("mf-backfill-store-");
        try
        {
            var options = new ReconciliationOptions { FirstCheckAfter = TimeSpan.FromSeconds(10), OfficialAfter = TimeSpan.Zero, BackfillAfter = TimeSpan.FromSeconds(5) };
            var store = new SqliteCandleStore(Path.Combine(directory.FullName, "candles.db"));
            await using SimulatedReconciliation rig = await SimulatedReconciliation.StartAsync(options, store: store);
            DateTime open = TestInstruments.Ist(10, 0);
            await rig.DriveAsync(open.AddMinutes(1).AddSeconds(30), TimeSpan.FromSeconds(5));
            rig.Feed.Disconnect("test outage");
            await rig.DriveAsync(open.AddMinutes(4).AddSeconds(10), TimeSpan.FromSeconds(1), ticks: false);
            rig.Feed.Connect();
            await rig.DriveAsync(open.AddMinutes(4).AddSeconds(20), TimeSpan.FromSeconds(2));
            await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Backfilled >= 2, maxSeconds: 30);
            await rig.Reconciler.Backfill.IdleAsync();

            // The store ends up with the series as the hub holds it: the venue's bars for the outage, nothing missing.
            IReadOnlyList<Candle> held = [.. (await rig.LiveBarsAsync()).Where(c => c.End <= open.AddMinutes(4))];
            Assert.Equal(Enumerable.Range(0, 4).Select(m => open.AddMinutes(m)), held.Select(c => c.Start));
            await SimulatedHost.WaitUntil(() =>
            {
                IReadOnlyList<Candle> stored = store.ReadAsync("NSE:INFY", CandleInterval.OneMinute, open, open.AddMinutes(4), CancellationToken.None).GetAwaiter().GetResult();
                return stored.Count == 4 && stored.Zip(held).All(p => OfficialCandleCheck.SameValues(p.First, p.Second) && p.First.Flags == p.Second.Flags);
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_feed_that_never_left_its_stream_backfills_nothing()
    {
        var options = new ReconciliationOptions { FirstCheckAfter = TimeSpan.FromSeconds(10), OfficialAfter = TimeSpan.Zero, BackfillAfter = TimeSpan.FromSeconds(1) };
        await using SimulatedReconciliation rig = await SimulatedReconciliation.StartAsync(options);
        DateTime open = TestInstruments.Ist(10, 0);
        await rig.DriveAsync(open.AddMinutes(3).AddSeconds(30), TimeSpan.FromSeconds(5));
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Checked >= 3, maxSeconds: 30);
        Assert.Equal((0L, 0L), (rig.Reconciler.Status().Outages, rig.Reconciler.Status().Backfilled));
        lock (rig.Gate)
        {
            Assert.DoesNotContain(rig.Revisions, r => r.Old is null);
        }
    }
}
