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
}
