using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Tests.History;

/// <summary>
/// A SQLite file that is not a database, or one another connection holds locked: a clear error naming the file,
/// logged once, the store reported failed, live data unaffected; once the lock goes, what was buffered is written.
/// </summary>
public sealed class SqliteBadInputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-sqlite-bad-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task A_file_of_garbage_is_refused_naming_the_file()
    {
        string path = Path.Combine(_directory.FullName, "candles.db");
        byte[] garbage = new byte[8192];
        new Random(12).NextBytes(garbage);
        await File.WriteAllBytesAsync(path, garbage);
        await using var store = new SqliteCandleStore(path);

        var e = await Assert.ThrowsAsync<CandleStoreException>(() => store.OpenAsync(CancellationToken.None));

        Assert.Equal($"sqlite {path}: cannot be opened: the file is corrupt or not a SQLite database", e.Message);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_locked_file_fails_the_store_once_while_live_data_flows_and_the_buffered_closes_are_written_when_it_is_released()
    {
        string path = Path.Combine(_directory.FullName, "candles.db");
        (MarketFeedHost host, var feed, var clock) = await SimulatedHost.StartAsync();
        var logger = new CollectingLogger();
        await using (host)
        {
            var store = new SqliteCandleStore(path, busyTimeout: TimeSpan.FromSeconds(1));
            await store.OpenAsync(CancellationToken.None);
            await using var locker = new SqliteConnection($"Data Source={path};Pooling=False");
            await locker.OpenAsync();
            await using (SqliteCommand begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var options = new CandleStoreOptions { RetryInterval = TimeSpan.FromSeconds(30) };
            CandleStoreWriter writer = CandleStoreWriter.Start(store, host.Hub, host.Instruments, options, clock, logger);
            await using (writer)
            {
                await using MarketSubscription sub = host.Subscribe(["NSE:INFY"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
                List<CandleEvent> closes = await RunMinutesAsync(host, feed, clock, sub, 4);
                await SimulatedHost.WaitUntil(() => writer.Status.State == CandleStoreState.Failed);

                CandleStoreStatus failed = writer.Status;
                Assert.Equal($"sqlite {path}: cannot be written: the file is locked by another process or connection", failed.LastError);
                Assert.Equal(closes.Count, failed.Pending);
                Assert.Equal(0, failed.Written);

                // Live data goes on while the store is down, and more closes wait with the others.
                closes.AddRange(await RunMinutesAsync(host, feed, clock, sub, 3));
                Assert.True(sub.Subscriber.TryReadTick(out _) || host.TryGetLatest("NSE:INFY", out _));
                // Advanced while waiting: the writer may not have started its retry delay yet when the clock first moves,
                // and each retry itself waits out SQLite's busy timeout in real time.
                DateTime nudge = DateTime.MinValue;
                await SimulatedHost.WaitUntil(() =>
                {
                    if (DateTime.UtcNow >= nudge)
                    {
                        clock.Advance(options.RetryInterval);
                        nudge = DateTime.UtcNow.AddSeconds(7);
                    }

                    return writer.Status.Failures >= 2;
                }, 60_000);
                Assert.Single(logger.Lines, l => l.Level == LogLevel.Error);
                Assert.Contains(path, logger.Lines.Single(l => l.Level == LogLevel.Error).Message);

                await using (SqliteCommand rollback = locker.CreateCommand())
                {
                    rollback.CommandText = "ROLLBACK";
                    await rollback.ExecuteNonQueryAsync();
                }

                await SimulatedHost.WaitUntil(() =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                    return writer.Status is { State: CandleStoreState.Ok };
                });

                // Any bar the clock closed meanwhile is written too.
                await host.Hub.FlushAsync();
                await SimulatedHost.WaitUntil(() => writer.Status.Pending == 0);
                closes.AddRange(Closes(sub));

                IReadOnlyList<Candle> stored = await store.ReadAsync("NSE:INFY", CandleInterval.OneMinute, DateTime.MinValue, DateTime.MaxValue, CancellationToken.None);
                Assert.Equal(closes.Select(c => c.Candle), stored);
                // Written counts the hub's other series of the instrument too (all of them are stored).
                Assert.True(writer.Status.Written >= closes.Count);
                Assert.Equal(0, writer.Status.Dropped);
                Assert.Single(logger.Lines, l => l.Message.Contains("is back", StringComparison.Ordinal));
            }

            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Past_the_buffer_bound_closes_are_dropped_and_counted_and_the_rest_written()
    {
        string path = Path.Combine(_directory.FullName, "candles.db");
        var store = new SqliteCandleStore(path, busyTimeout: TimeSpan.FromSeconds(1));
        await store.OpenAsync(CancellationToken.None);
        await using var locker = new SqliteConnection($"Data Source={path};Pooling=False");
        await locker.OpenAsync();
        await using SqliteCommand begin = locker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        await begin.ExecuteNonQueryAsync();

        var clock = new MarketFeed.Time.ManualTimeProvider(DateTimeOffset.UnixEpoch);
        await using CandleStoreWriter writer = CandleStoreWriter.Start(store, new CandleStoreOptions { BatchSize = 5, BufferCapacity = 5, RetryInterval = TimeSpan.FromSeconds(10) }, clock);
        await SimulatedHost.WaitUntil(() => writer.Status.State == CandleStoreState.Ok);
        var start = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
        var bars = Enumerable.Range(0, 30)
            .Select(i => new StoredCandle("NSE:INFY", CandleInterval.OneMinute, new Candle(start.AddMinutes(i), start.AddMinutes(i + 1), Price.FromDecimal(i), Price.FromDecimal(i), Price.FromDecimal(i), Price.FromDecimal(i), Quantity.FromUnits(1), 1, CandleFlags.Closed))).ToList();
        int accepted = 0;
        foreach (StoredCandle bar in bars)
        {
            accepted += writer.Enqueue(bar) ? 1 : 0;
            await SimulatedHost.WaitUntil(() => writer.Status.State == CandleStoreState.Failed || writer.Status.Pending < 5);
        }

        Assert.Equal(CandleStoreState.Failed, writer.Status.State);
        Assert.InRange(accepted, 5, 10);
        Assert.Equal(30 - accepted, writer.Status.Dropped);

        begin.CommandText = "ROLLBACK";
        await begin.ExecuteNonQueryAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        await SimulatedHost.WaitUntil(() => writer.Status is { Pending: 0, State: CandleStoreState.Ok });

        Assert.Equal(accepted, writer.Status.Written);
        Assert.Equal(accepted, (await store.ReadAsync("NSE:INFY", CandleInterval.OneMinute, start, start.AddDays(1), CancellationToken.None)).Count);
        await store.DisposeAsync();
    }

    /// <summary>Ticks for <paramref name="minutes"/> simulated minutes; the 1-minute closes the subscriber got meanwhile.</summary>
    private static async Task<List<CandleEvent>> RunMinutesAsync(MarketFeedHost host, MarketFeed.Simulation.SimulatorFeed feed, MarketFeed.Time.ManualTimeProvider clock, MarketSubscription sub, int minutes)
    {
        for (int step = 0; step < minutes * 3; step++)
        {
            await feed.EmitAsync(5);
            clock.Advance(TimeSpan.FromSeconds(20));
            await host.Hub.FlushAsync();
        }

        return Closes(sub);
    }

    private static List<CandleEvent> Closes(MarketSubscription sub)
    {
        var closes = new List<CandleEvent>();
        while (sub.Subscriber.TryReadCandle(out CandleEvent candle))
        {
            if (candle.IsClose)
            {
                closes.Add(candle);
            }
        }

        return closes;
    }
}
