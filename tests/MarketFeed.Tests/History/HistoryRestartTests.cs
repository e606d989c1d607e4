using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;

namespace MarketFeed.Tests.History;

/// <summary>A gateway restarted on the same SQLite store keeps its history: bars come from the store, the venue is asked only for the hole.</summary>
public sealed class HistoryRestartTests : IDisposable
{
    private static readonly CandleInterval M3 = CandleInterval.Parse("3m");
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-restart-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task After_a_restart_the_series_comes_from_the_store_and_only_the_hole_is_fetched_and_flagged_backfilled()
    {
        DateTimeOffset firstStart = new(TestInstruments.Ist(10, 0), TimeSpan.Zero);
        SeriesLoadStatus first;
        CandleSnapshot before;
        await using (Running run = await StartAsync(firstStart))
        {
            first = await LoadedAsync(run.Host);
            before = await run.Host.GetCandlesAsync("NSE:INFY", "3m", 500);
        }

        // Two sessions of the simulator's around-the-clock calendar: yesterday's 480 bars and today's 15 before 10:00.
        Assert.Equal((0, 1, 0), (first.FromStore, first.VenueRequests, first.Backfilled));
        Assert.Equal(495, first.FromVenue);
        Assert.All(before.Closed, c => Assert.Equal(CandleOrigin.History, c.Origin));

        // Stopped for 30 minutes: ten 3-minute bars the gateway never saw.
        await using (Running run = await StartAsync(firstStart.AddMinutes(30)))
        {
            SeriesLoadStatus second = await LoadedAsync(run.Host);
            CandleSnapshot after = await run.Host.GetCandlesAsync("NSE:INFY", "3m", 500);

            Assert.Equal((1, 10, 10), (second.VenueRequests, second.FromVenue, second.Backfilled));
            // The window now holds 505 bars, more than the 500 a series keeps: it starts five bars later.
            Assert.Equal(490, second.FromStore);
            Assert.Equal(500, after.Closed.Count);
            Assert.Equal(before.Closed.Skip(5), after.Closed.Take(490));
            Assert.All(after.Closed.Take(490), c => Assert.Equal(CandleOrigin.History, c.Origin));
            Assert.All(after.Closed.Skip(490), c => Assert.Equal(CandleOrigin.Backfilled, c.Origin));
            Assert.True(after.Closed.Zip(after.Closed.Skip(1)).All(p => p.First.End == p.Second.Start), "no gap, no bar twice");
            Assert.Equal(TestInstruments.Ist(10, 30), after.Closed[^1].End);

            // The backfilled bars are stored too, with their origin.
            await SimulatedHost.WaitUntil(() => run.Host.CandleWriter!.Status.Pending == 0);
            IReadOnlyList<Candle> stored = await run.Host.CandleStore!.ReadAsync("NSE:INFY", M3, TestInstruments.Ist(10, 0), TestInstruments.Ist(10, 30), CancellationToken.None);
            Assert.Equal(10, stored.Count(c => c.Origin == CandleOrigin.Backfilled));
        }
    }

    private async Task<Running> StartAsync(DateTimeOffset start)
    {
        var clock = new ManualTimeProvider(start);
        var feed = new SimulatorFeed(new SimulatorOptions { UniverseDate = SimulatedHost.UniverseDate, TicksPerInstrumentPerSecond = 0 }, clock);
        var options = new HubOptions { Partitions = 2, Candles = new CandleOptions { Intervals = ["3m"] } };
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], options, clock);
        host.UseCandleStore(new SqliteCandleStore(Path.Combine(_directory.FullName, "candles.db")));
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        return new Running(host, host.Subscribe(["NSE:INFY"], new SubscriberOptions { CandleIntervals = [M3] }));
    }

    private static async Task<SeriesLoadStatus> LoadedAsync(MarketFeedHost host)
    {
        SeriesLoadStatus? load = null;
        await SimulatedHost.WaitUntil(() =>
            (load = host.Hub.CandleLoads(host.Resolve("NSE:INFY").Id).FirstOrDefault(l => l.Interval == M3)) is { State: SeriesLoadState.Loaded });
        return load!;
    }

    private sealed record Running(MarketFeedHost Host, MarketSubscription Subscription) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Subscription.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
