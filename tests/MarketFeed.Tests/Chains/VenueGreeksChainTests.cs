using MarketFeed.Chains;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Chains;

public class VenueGreeksChainTests
{
    [Fact]
    public async Task A_venue_that_sends_greeks_has_them_shown_beside_ours_and_compared()
    {
        await using UpstoxVenue venue = await UpstoxVenue.StartAsync(ticksPerSecond: 50);
        await venue.WaitForStateAsync(FeedState.Connected);
        await using LiveChain chain = venue.Host.Chains.Open("NIFTY", strikesEachSide: 2, mode: FeedMode.Full);
        static bool Compared(ChainSide s) => s.Greeks is not null && s.VenueGreeks is { } v && Math.Abs(v.Delta) > 0.05;
        await SimulatedHost.WaitUntil(
            () => chain.Snapshot() is var v && v.Stats.GreeksCompared >= 4 && v.Rows.Any(r => Compared(r.Call) || Compared(r.Put)), 20_000);

        // Both sets are shown: where the venue's delta is not negligible, ours points the same way.
        ChainView view = chain.Snapshot();
        ChainSide side = view.Rows.SelectMany(r => new[] { r.Call, r.Put }).First(Compared);
        OptionGreeks ours = side.Greeks!.Value, theirs = side.VenueGreeks!.Value;
        Assert.True(Math.Sign(ours.Delta) == Math.Sign(theirs.Delta), $"ours {ours}, venue {theirs}, stats {view.Stats.GreeksCompared}/{view.Stats.GreeksDisagreements}/{view.Stats.MaxIvDifferencePoints}");
        Assert.True(double.IsFinite(view.Stats.MaxIvDifferencePoints));
        Assert.InRange(view.Stats.GreeksDisagreements, 0, view.Stats.GreeksCompared);
    }
}
