using System.Net;
using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketFeed.Tests.History;

/// <summary>
/// PostgreSQL going away under the writer (this test's own path to the shared server cut, the server untouched):
/// the outage is counted and reported once, bars wait in the buffer, and all of them are written when it returns.
/// </summary>
public sealed class PostgresOutageTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [PostgresFact]
    public async Task Bars_written_while_the_server_is_unreachable_are_stored_when_it_returns()
    {
        var server = new NpgsqlConnectionStringBuilder(await database.ConnectionStringAsync());
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, server.Port));
        string viaRelay = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = relay.Port, Timeout = 2, CommandTimeout = 5 }.ConnectionString;
        await using var store = new PostgresCandleStore(viaRelay);
        var logger = new CollectingLogger();
        var start = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
        StoredCandle Bar(int i) => new("BINANCE:ETHUSDT", CandleInterval.OneMinute, new Candle(
            start.AddMinutes(i), start.AddMinutes(i + 1), Price.Parse("3012.5"), Price.Parse("3013.01"), Price.Parse("3011.99"), Price.FromDecimal(3012 + (i / 100m)), Quantity.FromDecimal(i + 0.5m), i, CandleFlags.Closed));

        await using (CandleStoreWriter writer = CandleStoreWriter.Start(store, new CandleStoreOptions { RetryInterval = TimeSpan.FromMilliseconds(200) }, logger: logger))
        {
            writer.Enqueue(Bar(0));
            await SimulatedHost.WaitUntil(() => writer.Status.Written == 1);
            Assert.Equal(("postgres", $"postgres 127.0.0.1:{relay.Port}/{database.Name}"), (writer.Status.Kind, writer.Status.Description));

            relay.Cut();
            for (int i = 1; i <= 50; i++)
            {
                Assert.True(writer.Enqueue(Bar(i)));
            }

            await SimulatedHost.WaitUntil(() => writer.Status is { State: CandleStoreState.Failed, Failures: >= 3 }, 30_000);
            CandleStoreStatus down = writer.Status;
            Assert.Equal(50, down.Pending);
            Assert.StartsWith($"postgres 127.0.0.1:{relay.Port}/{database.Name}: cannot be written: ", down.LastError);
            Assert.DoesNotContain("marketfeed_test", down.LastError); // the role's password is the same word

            relay.Restore();
            await SimulatedHost.WaitUntil(() => writer.Status is { State: CandleStoreState.Ok, Pending: 0 }, 30_000);
            Assert.Equal((51L, 0L), (writer.Status.Written, writer.Status.Dropped));
        }

        Assert.Single(logger.Lines, l => l.Level == LogLevel.Error);
        Assert.Single(logger.Lines, l => l.Message.Contains("is back", StringComparison.Ordinal));
        IReadOnlyList<Candle> stored = await store.ReadAsync("BINANCE:ETHUSDT", CandleInterval.OneMinute, start, start.AddDays(1), CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 51).Select(i => Bar(i).Candle), stored);
    }
}
