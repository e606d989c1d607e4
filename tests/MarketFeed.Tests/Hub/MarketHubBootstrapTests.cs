using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Tests.TestSupport;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Hub;

public class MarketHubBootstrapTests
{
    private static readonly CandleInterval M3 = CandleInterval.Parse("3m");

    [Fact]
    public async Task A_store_that_cannot_be_read_is_logged_once_not_once_per_series_and_the_venue_fills_them()
    {
        var logger = new CollectingLogger();
        await using var f = new HubFixture(logger: logger);
        string path = Path.Combine(Path.GetTempPath(), $"mf-corrupt-{Guid.NewGuid():N}.db");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        try
        {
            await using var store = new MarketFeed.History.SqliteCandleStore(path);
            f.Hub.UseCandleStore(store);
            f.Hub.UseHistory((_, interval, _, _, _) => Task.FromResult<IReadOnlyList<Candle>>(interval == M3 ? [Bar(Ist(9, 54)), Bar(Ist(9, 57))] : []));
            foreach (var instrument in new[] { f.Infy, f.Reliance })
            {
                foreach (CandleInterval interval in new[] { CandleInterval.OneMinute, M3, CandleInterval.Parse("5m") })
                {
                    await f.Hub.GetCandlesAsync(instrument.Id, interval, 10);
                }
            }

            Assert.Single(logger.Lines, l => l.Message.Contains("could not be read", StringComparison.Ordinal));
            Assert.Equal(2, (await f.Hub.GetCandlesAsync(f.Reliance.Id, M3, 10)).Closed.Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_new_series_asks_the_venue_for_two_trading_days_and_seeds_its_normalized_answer()
    {
        await using var f = new HubFixture();
        var asked = new List<(CandleInterval Interval, DateTime End, int Count)>();
        f.Hub.UseHistory((_, interval, end, count, _) =>
        {
            lock (asked)
            {
                asked.Add((interval, end, count));
            }

            // Out of order, one bar twice, one outside the session, one not yet ended.
            IReadOnlyList<Candle> answer = interval == M3
                ? [Bar(Ist(9, 54)), Bar(Ist(9, 51)), Bar(Ist(9, 54)), Bar(Ist(8, 0)), Bar(Ist(9, 57)), Bar(Ist(10, 0))]
                : [];
            return Task.FromResult(answer);
        });

        CandleSnapshot snapshot = await f.Hub.GetCandlesAsync(f.Infy.Id, M3, 500);

        Assert.Equal([Ist(9, 51), Ist(9, 54), Ist(9, 57)], snapshot.Closed.Select(c => c.Start));
        Assert.All(snapshot.Closed, c => Assert.Equal(CandleOrigin.History, c.Origin));
        // Thursday's whole session (125 bars) and Friday's 15 before 10:00.
        Assert.Contains((M3, f.Now, 140), asked);
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal(3, quality.HistoryBarsSkipped);
        SeriesLoadStatus status = Assert.Single(f.Hub.CandleLoads(f.Infy.Id), s => s.Interval == M3);
        Assert.Equal((SeriesLoadState.Loaded, 0, 3, 0, 1, 3), (status.State, status.FromStore, status.FromVenue, status.Backfilled, status.VenueRequests, status.Skipped));
        Assert.Equal(f.Now, status.LoadedAt);
    }

    [Fact]
    public async Task The_bar_forming_when_history_arrives_stays_partial_and_no_bar_is_counted_twice()
    {
        await using var f = new HubFixture(start: new DateTimeOffset(Ist(10, 1), TimeSpan.Zero));
        var release = new TaskCompletionSource();
        f.Hub.UseHistory(async (_, interval, end, _, _) =>
        {
            await release.Task;

            // The venue already has the 10:00 bar by the time it answers; the series was asked at 10:01.
            return interval == M3 ? [Bar(Ist(9, 54)), Bar(Ist(9, 57)), Bar(Ist(10, 0))] : [];
        });
        HubSubscriber subscriber = f.Watch(f.Infy, new SubscriberOptions { CandleIntervals = [M3] });
        await f.PublishAsync(f.TickOf(f.Infy, 100.2m));
        await f.AdvanceAsync(TimeSpan.FromSeconds(30));
        await f.PublishAsync(f.TickOf(f.Infy, 100.4m));

        release.SetResult();
        CandleSnapshot snapshot = await f.Hub.GetCandlesAsync(f.Infy.Id, M3, 10);

        Assert.Equal([Ist(9, 54), Ist(9, 57)], snapshot.Closed.Select(c => c.Start));
        Candle forming = snapshot.Current!.Value;
        Assert.Equal(Ist(10, 0), forming.Start);
        Assert.True(forming.IsPartial);
        Assert.Equal(CandleOrigin.Live, forming.Origin);
        Assert.Equal(2, forming.Ticks);
        CandleSeriesStatus status = Assert.Single(await f.Hub.CandleStatusAsync(f.Infy.Id), o => o.Interval == M3);
        Assert.Equal((2, 0), (status.CountOf(CandleOrigin.History), status.CountOf(CandleOrigin.Live)));
        Assert.Equal(SeriesLoadState.Loaded, status.Load!.State);
        Assert.NotNull(subscriber);
    }

    [Fact]
    public async Task A_failed_venue_leaves_the_series_live_and_says_why()
    {
        await using var f = new HubFixture();
        f.Hub.UseHistory((_, _, _, _, _) => Task.FromException<IReadOnlyList<Candle>>(new HttpRequestException("503 from the venue")));

        await f.Hub.GetCandlesAsync(f.Infy.Id, M3, 10);
        SeriesLoadStatus status = Assert.Single(f.Hub.CandleLoads(f.Infy.Id), s => s.Interval == M3);

        Assert.Equal(SeriesLoadState.Failed, status.State);
        Assert.Equal("503 from the venue", status.Error);
        Assert.True(f.Hub.HistoryFailures >= 1);
    }

    [Fact]
    public async Task Daily_series_reach_back_HistoryBars_sessions_and_bars_stamped_at_midnight_land_on_the_session()
    {
        await using var f = new HubFixture();
        CandleInterval day = CandleInterval.Parse("1d");
        var asked = new List<int>();
        f.Hub.UseHistory((_, interval, _, count, _) =>
        {
            lock (asked)
            {
                if (interval == day)
                {
                    asked.Add(count);
                }
            }

            // The venue stamps daily bars at midnight, exchange time: Wednesday and Thursday.
            DateTime wednesday = Ist(new DateOnly(2026, 11, 18), 0, 0);
            IReadOnlyList<Candle> answer = interval == day ? [Bar(wednesday) with { End = wednesday.AddDays(1) }, Bar(wednesday.AddDays(1)) with { End = wednesday.AddDays(2) }] : [];
            return Task.FromResult(answer);
        });

        CandleSnapshot snapshot = await f.Hub.GetCandlesAsync(f.Infy.Id, day, 10);

        Assert.Equal([200], asked);
        Assert.Equal([Ist(new DateOnly(2026, 11, 18), 9, 15), Ist(new DateOnly(2026, 11, 19), 9, 15)], snapshot.Closed.Select(c => c.Start));
        Assert.All(snapshot.Closed, c => Assert.Equal((CandleOrigin.History, c.Start.AddHours(6.25)), (c.Origin, c.End)));
        Assert.Equal(2, f.Hub.Quality().HistoryBarsRebucketed);
    }

    private static Candle Bar(DateTime start) =>
        new(start, start.AddMinutes(3), Price.FromDecimal(100m), Price.FromDecimal(101m), Price.FromDecimal(99m), Price.FromDecimal(100.5m), Quantity.FromUnits(10), 0, CandleFlags.Closed);
}
