using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>
/// Reconciliation and backfill against the Kite emulator over loopback (its ticker stream and its historical candles
/// endpoint), on a manual clock so minutes of trading play out in seconds.
/// </summary>
public class KiteReconciliationTests
{
    private static readonly DateTime Open = KiteReconciliationRig.Open;

    [Fact]
    public async Task Kite_bars_that_differ_from_its_historical_candles_are_revised_one_request_per_series_within_its_rate_limit()
    {
        await using KiteReconciliationRig rig = await KiteReconciliationRig.StartAsync(
            new ReconciliationOptions { FirstCheckAfter = TimeSpan.FromSeconds(5), OfficialAfter = TimeSpan.FromSeconds(65), MaxConcurrentRequests = 3 },
            faults: "revise=2");

        // 10:00 closes at 10:01; its first check (10:01:05) is one request per series; at 10:02:05 the official check
        // of 10:00 and the first of 10:01 are due together: again one request per series, covering both bars.
        DateTime[] due = [Open.AddSeconds(65), Open.AddSeconds(125)];
        await rig.DriveAsync(Open.AddSeconds(128), ticks: true, [.. due.Select(d => (d.AddMilliseconds(-100), d.AddSeconds(3)))]);
        await SimulatedHost.WaitUntil(() => rig.Reconciler.Status().Checked >= 18);
        ReconciliationStatus status = rig.Reconciler.Status();
        Assert.Equal((18L, 0L, 0L, 12L), (status.Checked, status.Failed, status.Unmatched, status.Requests));
        IReadOnlyList<DateTime> requests = rig.Emulator.HistoricalRequests;
        Assert.Equal(12, requests.Count);

        // Through Kite's rate gate: six requests due at once are spread over five gate intervals, 1.25 s of the clock
        // (less some steps of slack for a first request that reached the emulator late); without the gate they come at once.
        TimeSpan gap = TimeSpan.FromSeconds(1 / KiteReconciliationRig.HistoricalPerSecond);
        foreach (IGrouping<bool, DateTime> batch in requests.GroupBy(r => r < due[1]))
        {
            Assert.Equal(6, batch.Count());
            Assert.True(batch.Max() - batch.Min() >= gap * 5 - TimeSpan.FromMilliseconds(500), $"{batch.Count()} requests within {batch.Max() - batch.Min()}");
        }

        // Every revision is the venue's bar for a live bar that differed; bars equal to the venue's were left alone.
        (InstrumentId Id, Candle Bar)[] live = [.. rig.ClosesSnapshot().Where(c => c.Bar.Start < Open.AddMinutes(2))];
        Assert.Equal(12, live.Length);
        Dictionary<(InstrumentId, DateTime), Candle> venue = await rig.VenueBarsAsync(Open.AddMinutes(2), 2);
        List<string> expected = [.. live.Where(l => !OfficialCandleCheck.SameValues(l.Bar, venue[(l.Id, l.Bar.Start)])).Select(l => Key(l.Id, l.Bar.Start)).Order()];
        Assert.Equal(6, live.Count(l => l.Bar.Start == Open && expected.Contains(Key(l.Id, Open)))); // revise=2: 10:00 is an even minute
        await SimulatedHost.WaitUntil(() => rig.RevisionsSnapshot().Length >= expected.Count);
        CandleRevision[] revisions = rig.RevisionsSnapshot();
        Assert.Equal(expected, revisions.Select(r => Key(r.Instrument, r.New.Start)).Order());
        Assert.All(revisions, r =>
        {
            Assert.Equal(live.Single(l => l.Id == r.Instrument && l.Bar.Start == r.New.Start).Bar, r.Old);
            Assert.True(OfficialCandleCheck.SameValues(venue[(r.Instrument, r.New.Start)], r.New), $"{r.New} is the venue's bar");
            Assert.True((r.New.Flags & CandleFlags.Revised) != 0);
        });
        Assert.Equal(expected.Count, rig.Reconciler.Status().Revised);
    }

    [Fact]
    public async Task After_minutes_with_the_stream_down_the_missed_kite_bars_are_backfilled_in_order_as_revisions_one_request_per_series()
    {
        await using KiteReconciliationRig rig = await KiteReconciliationRig.StartAsync(
            new ReconciliationOptions { FirstCheckAfter = TimeSpan.FromSeconds(5), OfficialAfter = TimeSpan.Zero, BackfillAfter = TimeSpan.FromSeconds(5) });
        await rig.DriveAsync(Open.AddSeconds(90));

        // The network drops every socket and the venue refuses new streams until 10:04:10; REST keeps working.
        rig.Emulator.Faults.Apply("refuse");
        rig.Emulator.DropConnections();
        await SimulatedHost.WaitUntil(() => rig.Feed.Health.State == FeedState.Reconnecting);
        await rig.DriveAsync(Open.AddMinutes(4).AddSeconds(10), ticks: false);
        Assert.Equal(FeedState.Reconnecting, rig.Feed.Health.State);
        long requestsBefore = rig.Reconciler.Status().Requests;
        rig.Emulator.Faults.Apply("-refuse");
        while (rig.Feed.Health.State != FeedState.Connected)
        {
            await rig.DriveAsync(rig.Now.AddMilliseconds(100), ticks: false);
        }

        await rig.DriveAsync(Open.AddMinutes(4).AddSeconds(20));
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Backfilled >= 12 && rig.Reconciler.Backfill.IdleAsync().IsCompleted);

        // 10:02 and 10:03 never formed: inserted, flagged, in order, the venue's values; never delivered as closes.
        Dictionary<(InstrumentId, DateTime), Candle> venue = await rig.VenueBarsAsync(Open.AddMinutes(4), 4);
        CandleRevision[] inserted = [.. rig.RevisionsSnapshot().Where(r => r.Old is null)];
        DateTime[] missed = [Open.AddMinutes(2), Open.AddMinutes(3)];
        Assert.Equal(12, inserted.Length);
        foreach (IGrouping<InstrumentId, CandleRevision> series in inserted.GroupBy(r => r.Instrument))
        {
            Assert.Equal(missed, series.Select(r => r.New.Start));
            Assert.All(series, r => Assert.True((r.New.Flags & CandleFlags.Backfilled) != 0 && OfficialCandleCheck.SameValues(venue[(r.Instrument, r.New.Start)], r.New), $"{r.New}"));
        }

        Assert.DoesNotContain(rig.ClosesSnapshot(), c => missed.Contains(c.Bar.Start));
        Assert.Equal((1L, 12L), (rig.Reconciler.Status().Outages, rig.Reconciler.Status().Backfilled));
        Assert.Equal(6, rig.Reconciler.Status().Requests - requestsBefore); // one per series for the whole outage
        foreach (string symbol in rig.Symbols)
        {
            CandleSnapshot held = await rig.Host.GetCandlesAsync(symbol, "1m", 10);
            Assert.Equal(Enumerable.Range(0, 4).Select(m => Open.AddMinutes(m)), held.Closed.Take(4).Select(c => c.Start));
        }
    }

    [Fact]
    public async Task When_kite_rest_is_down_the_failed_checks_are_counted_and_the_bars_stay_as_they_were()
    {
        await using KiteReconciliationRig rig = await KiteReconciliationRig.StartAsync(
            new ReconciliationOptions { FirstCheckAfter = TimeSpan.FromSeconds(5), OfficialAfter = TimeSpan.Zero }, faults: "revise=1");
        await rig.DriveAsync(Open.AddSeconds(59));
        rig.Emulator.Faults.Apply("restdown");
        await rig.DriveAsync(Open.AddSeconds(66));
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Failed >= 6);

        ReconciliationStatus status = rig.Reconciler.Status();
        Assert.Equal((6L, 0L, 0L, 6L), (status.Failed, status.Checked, status.Revised, status.Requests));
        Assert.Empty(rig.RevisionsSnapshot());
        foreach ((InstrumentId id, Candle bar) in rig.ClosesSnapshot().Where(c => c.Bar.Start == Open))
        {
            CandleSnapshot held = await rig.Host.Hub.GetCandlesAsync(id, CandleInterval.OneMinute, 10);
            Assert.Equal(bar, held.Closed.Single(c => c.Start == Open));
        }
    }

    private static string Key(InstrumentId id, DateTime start) => $"{id.Value} {start:O}";
}
