using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Simulation;
using MarketFeed.Time;

namespace MarketFeed.Tests.TestSupport;

/// <summary>A host on the simulator with a manual clock and no automatic emission: the test decides when ticks are sent.</summary>
internal static class SimulatedHost
{
    public static readonly DateOnly UniverseDate = new(2026, 11, 20);

    public static async Task<(MarketFeedHost Host, SimulatorFeed Feed, ManualTimeProvider Clock)> StartAsync(
        SimulatorOptions? options = null, HubOptions? hubOptions = null, DateTimeOffset? start = null)
    {
        var clock = new ManualTimeProvider(start ?? new DateTimeOffset(TestInstruments.Ist(10, 0), TimeSpan.Zero));
        options ??= new SimulatorOptions();
        options.UniverseDate ??= UniverseDate;
        options.TicksPerInstrumentPerSecond = 0;
        var feed = new SimulatorFeed(options, clock);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], hubOptions ?? new HubOptions { Partitions = 2 }, clock);
        await WaitUntil(() => feed.Health.State == FeedState.Connected);
        return (host, feed, clock);
    }

    public static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(5);
        }
    }
}
