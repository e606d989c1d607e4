using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>The writer stores every close the hub delivers, exactly, off the hub's threads, and stores what others hand it.</summary>
public sealed class CandleStoreWriterTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-writer-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Every_close_the_hub_delivers_is_stored_as_delivered()
    {
        (MarketFeedHost host, var feed, var clock) = await SimulatedHost.StartAsync();
        await using (host)
        {
            CandleStoreWriter writer = host.UseCandleStore(new SqliteCandleStore(Path.Combine(_directory.FullName, "candles.db")));
            await using MarketSubscription sub = host.Subscribe(["NSE:INFY", "BINANCE:BTCUSDT"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute, CandleInterval.Parse("3m")] });
            for (int step = 0; step < 30; step++)
            {
                await feed.EmitAsync(20);
                clock.Advance(TimeSpan.FromSeconds(20));
                await host.Hub.FlushAsync();
            }

            var closes = new List<CandleEvent>();
            while (sub.Subscriber.TryReadCandle(out CandleEvent candle))
            {
                if (candle.IsClose)
                {
                    closes.Add(candle);
                }
            }

            Assert.True(closes.Count >= 20, $"{closes.Count} closes");
            // The store also receives the history new series are bootstrapped with: wait for all of it.
            await SimulatedHost.WaitUntil(() => writer.Status.Written >= closes.Count && writer.Status.Pending == 0);
            CandleStoreStatus status = host.Status().Store!;
            Assert.Equal(("sqlite", CandleStoreState.Ok, 0L, 0L, 0L), (status.Kind, status.State, status.Pending, status.Failures, status.Dropped));
            Assert.Same(writer.Store, host.CandleStore);

            foreach (IGrouping<(InstrumentId, CandleInterval), CandleEvent> series in closes.GroupBy(c => (c.Instrument, c.Interval)))
            {
                string symbol = host.Instruments.Get(series.Key.Item1).Symbol;
                IReadOnlyList<Candle> stored = await host.CandleStore!.ReadAsync(symbol, series.Key.Item2, DateTime.MinValue, DateTime.MaxValue, CancellationToken.None);
                Assert.Equal(series.Select(c => c.Candle), stored.Where(c => c.Origin == CandleOrigin.Live));
            }
        }
    }

    [Fact]
    public async Task A_bar_the_hub_revises_reaches_the_store_on_the_writers_firehose_after_its_close()
    {
        (MarketFeedHost host, var feed, var clock) = await SimulatedHost.StartAsync();
        await using (host)
        {
            CandleStoreWriter writer = host.UseCandleStore(new SqliteCandleStore(Path.Combine(_directory.FullName, "candles.db")));
            await using MarketSubscription sub = host.Subscribe(["NSE:INFY"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
            for (int step = 0; step < 12; step++)
            {
                await feed.EmitAsync(10);
                clock.Advance(TimeSpan.FromSeconds(20));
                await host.Hub.FlushAsync();
            }

            // The series' bootstrap (its history, through the writer) is over and written before the revision.
            Instrument infy = host.Instruments.Resolve("NSE:INFY");
            await SimulatedHost.WaitUntil(() => host.Hub.CandleStatusAsync(infy.Id).GetAwaiter().GetResult()
                .All(s => s.Load is null || s.Load.State is SeriesLoadState.Loaded or SeriesLoadState.None or SeriesLoadState.Failed));
            await SimulatedHost.WaitUntil(() => writer.Status.Pending == 0);
            Candle live = (await host.Hub.GetCandlesAsync(infy.Id, CandleInterval.OneMinute, 10)).Closed.Where(c => c.Origin == CandleOrigin.Live).Last();
            Candle official = live with { High = live.High + Price.FromDecimal(1m), Flags = CandleFlags.Closed | CandleFlags.Revised };
            long writtenBefore = writer.Status.Written;

            // No write is handed to the writer by the revision itself: it comes on the firehose, behind the close it replaces,
            // so it can never be overtaken by that close and leave the live bar stored.
            Assert.Equal(1, await host.Hub.ApplyCandleRevisionsAsync(infy, CandleInterval.OneMinute, [official], CancellationToken.None));
            await SimulatedHost.WaitUntil(() => writer.Status.Pending == 0 && writer.Status.Written > writtenBefore);
            IReadOnlyList<Candle> stored = await writer.Store.ReadAsync("NSE:INFY", CandleInterval.OneMinute, live.Start, live.End, CancellationToken.None);
            Assert.Equal(official.High, Assert.Single(stored).High);
            Assert.Equal(CandleOrigin.Revised, stored[0].Origin);
            Assert.Equal(writtenBefore + 1, writer.Status.Written);
        }
    }

    [Fact]
    public async Task A_revised_bar_handed_to_the_writer_replaces_the_stored_one()
    {
        await using var store = new SqliteCandleStore(Path.Combine(_directory.FullName, "candles.db"));
        var start = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
        var live = new Candle(start, start.AddMinutes(3), Price.FromDecimal(10), Price.FromDecimal(12), Price.FromDecimal(9), Price.FromDecimal(11), Quantity.FromUnits(5), 7, CandleFlags.Closed);
        Candle revised = live with { High = Price.FromDecimal(12.5m), Flags = CandleFlags.Closed | CandleFlags.Revised };
        CandleStoreWriter writer = CandleStoreWriter.Start(store);
        await using (writer)
        {
            Assert.True(writer.Enqueue(new StoredCandle("NSE:INFY", CandleInterval.Parse("3m"), live)));
            Assert.True(writer.Enqueue(new StoredCandle("NSE:INFY", CandleInterval.Parse("3m"), revised)));
        }

        Assert.Equal((2L, 0L, CandleStoreState.Stopped), (writer.Status.Written, writer.Status.Pending, writer.Status.State));
        Assert.Equal([revised], await store.ReadAsync("NSE:INFY", CandleInterval.Parse("3m"), start, start.AddDays(1), CancellationToken.None));
    }
}
