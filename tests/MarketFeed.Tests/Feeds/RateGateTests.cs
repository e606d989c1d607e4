using MarketFeed.Feeds;
using MarketFeed.Time;

namespace MarketFeed.Tests.Feeds;

public class RateGateTests
{
    [Fact]
    public async Task Concurrent_callers_are_spaced_one_interval_apart_in_arrival_order()
    {
        var clock = new ManualTimeProvider();
        var gate = new RateGate(perSecond: 3, clock);
        Task[] waits = [.. Enumerable.Range(0, 4).Select(_ => gate.WaitAsync(CancellationToken.None))];
        Assert.True(waits[0].IsCompleted);
        Assert.False(waits[1].IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(334));
        await waits[1].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(waits[2].IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(666));
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void After_a_quiet_period_the_next_call_goes_at_once()
    {
        var clock = new ManualTimeProvider();
        var gate = new RateGate(perSecond: 1, clock);
        Assert.True(gate.WaitAsync(CancellationToken.None).IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(gate.WaitAsync(CancellationToken.None).IsCompleted);
    }
}
