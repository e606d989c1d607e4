using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>Closed live bars compared with the venue's candles (the simulator's full path) on a manual clock.</summary>
public class ReconcilerTests
{
    private static readonly ReconciliationOptions Options = new()
    {
        FirstCheckAfter = TimeSpan.FromSeconds(10),
        OfficialAfter = TimeSpan.FromMinutes(3),
        BackfillAfter = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Bars_that_differ_from_the_venues_are_revised_with_old_and_new_and_identical_ones_are_not()
    {
        await using SimulatedReconciliation rig = await SimulatedReconciliation.StartAsync(Options);
        DateTime open = TestInstruments.Ist(10, 0);

        // Ticks every 7 s for three minutes: the live bars see a sample of the path, the venue's bars all of it.
        await rig.DriveAsync(open.AddMinutes(3).AddSeconds(-1), TimeSpan.FromSeconds(7));
        await rig.DriveAsync(open.AddMinutes(3).AddSeconds(1), TimeSpan.FromSeconds(1), ticks: false);
        await SimulatedHost.WaitUntil(() => { lock (rig.Gate) { return rig.Closes.Count == 3; } });
        Candle[] live;
        lock (rig.Gate)
        {
            live = [.. rig.Closes];
        }

        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Checked >= 3 && rig.Reconciler.Status().Pending == 3);
        IReadOnlyList<Candle> venue = await rig.VenueBarsAsync(open.AddMinutes(3), 3);
        Assert.Equal(live.Select(c => c.Start), venue.Select(c => c.Start));
        List<int> differing = [.. Enumerable.Range(0, 3).Where(i => !OfficialCandleCheck.SameValues(live[i], venue[i]))];
        Assert.NotEmpty(differing);

        await SimulatedHost.WaitUntil(() => { lock (rig.Gate) { return rig.Revisions.Count == differing.Count; } });
        ReconciliationStatus first = rig.Reconciler.Status();
        Assert.Equal((3L, (long)differing.Count, 0L, 0L, 0L), (first.Checked, first.Revised, first.Backfilled, first.Failed, first.Unmatched));
        Assert.True(first.Requests <= 3, $"one history request per batch of due bars, not per bar ({first.Requests})");
        CandleRevision[] revisions;
        lock (rig.Gate)
        {
            revisions = [.. rig.Revisions];
        }

        for (int k = 0; k < differing.Count; k++)
        {
            int i = differing[k];
            CandleRevision revision = revisions[k];
            Assert.Equal(live[i], revision.Old);
            Assert.True(OfficialCandleCheck.SameValues(venue[i], revision.New), $"the new bar is the venue's ({revision.New} vs {venue[i]})");
            Assert.Equal(CandleFlags.Closed | CandleFlags.Revised, revision.New.Flags & ~CandleFlags.Partial);
        }

        IReadOnlyList<Candle> held = await rig.LiveBarsAsync();
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(OfficialCandleCheck.SameValues(venue[i], held[i])));

        // The official check: the bars are the venue's now, so nothing more is revised.
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status() is { Checked: >= 6, Pending: 0 });
        ReconciliationStatus second = rig.Reconciler.Status();
        Assert.Equal((6L, (long)differing.Count), (second.Checked, second.Revised));
        lock (rig.Gate)
        {
            Assert.Equal(differing.Count, rig.Revisions.Count);
        }
    }

    [Fact]
    public async Task The_daily_bar_takes_the_venues_open_high_low_close_and_volume_after_the_session()
    {
        var options = new ReconciliationOptions { FirstCheckAfter = TimeSpan.FromSeconds(10), DailyOfficialAfter = TimeSpan.FromMinutes(2) };
        await using SimulatedReconciliation rig = await SimulatedReconciliation.StartAsync(
            options, interval: CandleInterval.OneDay, simulator: new MarketFeed.Simulation.SimulatorOptions { FollowSessionHours = true });

        // Watched from 10:00: the live daily bar opens at the first tick seen, not at 09:15 as the exchange's does.
        await rig.DriveAsync(TestInstruments.Ist(15, 30, 1), TimeSpan.FromSeconds(60));
        await SimulatedHost.WaitUntil(() => { lock (rig.Gate) { return rig.Closes.Count == 1; } });
        Candle live;
        lock (rig.Gate)
        {
            live = rig.Closes[0];
        }

        Assert.Equal((TestInstruments.Ist(9, 15), TestInstruments.Ist(15, 30)), (live.Start, live.End));
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status().Revised >= 1);
        Candle venue = (await rig.Feed.GetHistoryAsync(rig.Instrument, CandleInterval.OneDay, TestInstruments.Ist(15, 30), 1, CancellationToken.None)).Single();
        Assert.NotEqual(live.Open, venue.Open);
        await SimulatedHost.WaitUntil(() => { lock (rig.Gate) { return rig.Revisions.Count == 1; } });
        CandleRevision revision;
        lock (rig.Gate)
        {
            revision = rig.Revisions[0];
        }

        Assert.Equal(live, revision.Old);
        Assert.Equal((venue.Start, venue.Open, venue.High, venue.Low, venue.Close, venue.Volume), (revision.New.Start, revision.New.Open, revision.New.High, revision.New.Low, revision.New.Close, revision.New.Volume));

        // After settlement the official check finds the venue's bar already held: nothing more changes.
        await rig.AdvanceUntilAsync(() => rig.Reconciler.Status() is { Checked: 2, Pending: 0 });
        Assert.Equal(1, rig.Reconciler.Status().Revised);
        Assert.Equal(venue.Open, (await rig.Host.Hub.GetCandlesAsync(rig.Instrument.Id, CandleInterval.OneDay, 5)).Closed.Single().Open);
    }
}
