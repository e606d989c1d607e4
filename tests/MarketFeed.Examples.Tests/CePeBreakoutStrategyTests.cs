using CePeBreakout;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Time;

namespace MarketFeed.Examples.Tests;

public class CePeBreakoutStrategyTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 20, 4, 30, 0, TimeSpan.Zero); // 10:00 IST

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Locks_onto_the_first_leg_to_break_its_range_and_exits_on_that_legs_ticks_only(int seed)
    {
        var clock = new ManualTimeProvider(s_start);
        var feed = new SimulatorFeed(new SimulatorOptions { Seed = seed, UniverseDate = new DateOnly(2026, 11, 20), TicksPerInstrumentPerSecond = 0 }, clock);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 }, clock);
        while (feed.Health.State != FeedState.Connected)
        {
            await Task.Delay(5);
        }

        Instrument call = host.Resolve("NFO:NIFTY26NOV24000CE");
        Instrument put = host.Resolve("NFO:NIFTY26NOV24000PE");
        var settings = new BreakoutSettings(s_start.UtcDateTime.AddMinutes(2));
        var strategy = new CePeBreakoutStrategy(call.Id, put.Id, settings);
        await using MarketSubscription legs = host.Subscribe([call.Symbol, put.Symbol], new SubscriberOptions { Mode = FeedMode.Full });

        var delivered = new List<Tick>();
        for (int step = 0; step < 20_000 && strategy.Phase is not (BreakoutPhase.StoppedOut or BreakoutPhase.TargetHit); step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            await feed.EmitAsync(2);
            await host.Hub.FlushAsync();
            while (legs.Subscriber.TryReadTick(out Tick tick))
            {
                delivered.Add(tick);
                strategy.OnTick(in tick);
            }
        }

        Assert.True(strategy.Phase is BreakoutPhase.StoppedOut or BreakoutPhase.TargetHit, string.Join("; ", strategy.Journal));
        Expected expected = Recompute(delivered, call.Id, put.Id, settings);
        Assert.Equal(expected.RangeHighs[call.Id], strategy.RangeHighs[call.Id]);
        Assert.Equal(expected.RangeHighs[put.Id], strategy.RangeHighs[put.Id]);
        Assert.Equal(expected.Locked, strategy.Locked);
        Assert.Equal(expected.Entry, strategy.Entry);
        Assert.Equal(expected.Exit, strategy.Exit);
        Assert.Equal(expected.Phase, strategy.Phase);

        // The other leg kept ticking after the lock at prices that would have ended the trade had they been used.
        InstrumentId other = strategy.Locked == call.Id ? put.Id : call.Id;
        Assert.Contains(delivered.Skip(expected.LockIndex), t => t.Instrument == other && (t.Ltp.ToDecimal() <= strategy.Stop || t.Ltp.ToDecimal() >= strategy.Target));
    }

    /// <summary>The rules of the strategy, applied by hand to the recorded per-instrument tick streams.</summary>
    private static Expected Recompute(List<Tick> ticks, InstrumentId call, InstrumentId put, BreakoutSettings settings)
    {
        var highs = new Dictionary<InstrumentId, decimal>
        {
            [call] = ticks.Where(t => t.Instrument == call && t.EventTime < settings.OpeningRangeEndUtc).Max(t => t.Ltp.ToDecimal()),
            [put] = ticks.Where(t => t.Instrument == put && t.EventTime < settings.OpeningRangeEndUtc).Max(t => t.Ltp.ToDecimal()),
        };
        int lockIndex = ticks.FindIndex(t => t.EventTime >= settings.OpeningRangeEndUtc && t.Ltp.ToDecimal() > highs[t.Instrument]);
        Tick breakout = ticks[lockIndex];
        decimal entry = breakout.Ltp.ToDecimal();
        decimal stop = entry * (1 - (settings.StopPercent / 100m));
        decimal target = entry * (1 + (settings.TargetPercent / 100m));
        Tick exit = ticks.Skip(lockIndex + 1).First(t => t.Instrument == breakout.Instrument && (t.Ltp.ToDecimal() <= stop || t.Ltp.ToDecimal() >= target));
        decimal exitPrice = exit.Ltp.ToDecimal();
        return new Expected(highs, breakout.Instrument, entry, exitPrice, exitPrice <= stop ? BreakoutPhase.StoppedOut : BreakoutPhase.TargetHit, lockIndex);
    }

    private sealed record Expected(Dictionary<InstrumentId, decimal> RangeHighs, InstrumentId Locked, decimal Entry, decimal Exit, BreakoutPhase Phase, int LockIndex);
}
