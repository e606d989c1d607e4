using CePeBreakout;
using MarketFeed.Chains;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Time;

namespace MarketFeed.Examples.Tests;

public class ChainLegsTests
{
    [Fact]
    public async Task The_legs_are_the_call_and_put_of_the_strike_whose_call_delta_is_nearest_a_half()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 4, 30, 0, TimeSpan.Zero));
        var feed = new SimulatorFeed(new SimulatorOptions { Seed = 7, UniverseDate = new DateOnly(2026, 11, 20), TicksPerInstrumentPerSecond = 0 }, clock);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 }, clock);
        while (feed.Health.State != FeedState.Connected)
        {
            await Task.Delay(5);
        }

        await using LiveChain chain = host.Chains.Open("NIFTY", strikesEachSide: 4);
        Assert.Throws<InvalidOperationException>(() => ChainLegs.Pick(chain.Snapshot()));
        ChainView view = chain.Snapshot();
        for (int i = 0; i < 200 && view.Rows.Count(r => r.Call.Greeks is not null) < 9; i++)
        {
            await feed.EmitAsync(50);
            await host.Hub.FlushAsync();
            await chain.WaitForDataAsync(TimeSpan.FromSeconds(1));
            view = chain.Snapshot();
        }

        (Instrument call, Instrument put) = ChainLegs.Pick(view);
        Assert.Equal((InstrumentKind.Call, InstrumentKind.Put), (call.Kind, put.Kind));
        Assert.Equal(call.Strike, put.Strike);
        double picked = Math.Abs(view.Rows.Single(r => r.Strike == call.Strike).Call.Greeks!.Value.Delta - 0.5);
        Assert.All(view.Rows, r => Assert.True(picked <= Math.Abs(r.Call.Greeks!.Value.Delta - 0.5)));

        // At the money by delta is within a strike of the chain's ATM (the forward's nearest strike).
        Assert.InRange(Math.Abs(call.Strike.ToDecimal() - view.Stats.Atm.ToDecimal()), 0m, 50m);
    }
}
