using System.Diagnostics;
using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Model;
using Npgsql;

namespace MarketFeed.Benchmarks.Stores;

/// <summary>
/// `store-ratio [rounds] [rows]`: closed candles per second through the candle store writer (queue, batches of 1,000,
/// replace-at-key) into SQLite and PostgreSQL, each beside a bare batched insert of the same rows into the same
/// database (<see cref="BareInserts"/>), alternating which goes first each round; every round writes into fresh
/// tables. Reports each side's median and min–max, and the median and min–max of the per-round ratios. PostgreSQL is
/// the server of <c>MARKETFEED_BENCH_POSTGRES</c> (default: the test role scripts/services/postgres.sh creates), in a
/// database of its own dropped at the end; it is left out when none answers.
/// </summary>
internal static class StoreRatioRun
{
    private const int Batch = 1_000;

    public static async Task RunAsync(int rounds, int rowCount)
    {
        List<StoredCandle> rows = Rows(rowCount);
        DirectoryInfo scratch = Directory.CreateTempSubdirectory("mf-store-bench-");
        try
        {
            int file = 0;
            await CompareAsync("SQLite", rounds, rowCount,
                () => BareInserts.SqliteAsync(Path.Combine(scratch.FullName, $"bare-{file++}.db"), rows, Batch),
                () => ThroughWriterAsync(new SqliteCandleStore(Path.Combine(scratch.FullName, $"store-{file++}.db")), rows));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            scratch.Delete(recursive: true);
        }

        string server = Environment.GetEnvironmentVariable("MARKETFEED_BENCH_POSTGRES") is { Length: > 0 } cs
            ? cs : "Host=127.0.0.1;Port=5432;Username=marketfeed_test;Password=marketfeed_test;Database=postgres;Timeout=5";
        string database = $"mfbench_{Environment.ProcessId}";
        try
        {
            await ExecuteAsync(server, $"CREATE DATABASE {database}");
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            Console.WriteLine($"PostgreSQL: skipped, no server ({e.Message.Split('\n')[0]}); run scripts/services/postgres.sh or set MARKETFEED_BENCH_POSTGRES");
            return;
        }

        string bench = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        try
        {
            await CompareAsync("PostgreSQL", rounds, rowCount,
                () => BareInserts.PostgresAsync(bench, rows, Batch),
                async () =>
                {
                    await ExecuteAsync(bench, "DROP TABLE IF EXISTS candles");
                    await ThroughWriterAsync(new PostgresCandleStore(bench), rows);
                });
            await CompareAsync("PostgreSQL COPY into a temp table + upsert (the alternative, as 'store')", rounds, rowCount,
                () => BareInserts.PostgresAsync(bench, rows, Batch),
                () => BareInserts.PostgresCopyUpsertAsync(bench, rows, Batch));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>Every row through the writer, timed from the first enqueue to the last row written (the store opened beforehand, as at gateway start).</summary>
    private static async Task ThroughWriterAsync(ICandleStore store, List<StoredCandle> rows)
    {
        await using (store)
        {
            await store.OpenAsync(CancellationToken.None);
            await using CandleStoreWriter writer = CandleStoreWriter.Start(store, new CandleStoreOptions { BatchSize = Batch, BufferCapacity = rows.Count });
            foreach (StoredCandle row in rows)
            {
                writer.Enqueue(row);
            }

            while (writer.Status.Written < rows.Count)
            {
                if (writer.Status.State == CandleStoreState.Failed)
                {
                    throw new InvalidOperationException(writer.Status.LastError);
                }

                await Task.Delay(1);
            }
        }
    }

    private static async Task CompareAsync(string name, int rounds, int rowCount, Func<Task> bare, Func<Task> store)
    {
        await bare();
        await store();
        var bareRates = new List<double>();
        var storeRates = new List<double>();
        var ratios = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double b;
            double s;
            if (round % 2 == 0)
            {
                b = await RateAsync(bare, rowCount);
                s = await RateAsync(store, rowCount);
            }
            else
            {
                s = await RateAsync(store, rowCount);
                b = await RateAsync(bare, rowCount);
            }

            bareRates.Add(b);
            storeRates.Add(s);
            ratios.Add(s / b);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}, {rowCount:N0} closes, {rounds} rounds: store {Summary(storeRates, "N0")} candles/s; bare {Summary(bareRates, "N0")} rows/s; store/bare {Summary(ratios, "F2")}x"));
    }

    private static async Task<double> RateAsync(Func<Task> write, int rowCount)
    {
        long start = Stopwatch.GetTimestamp();
        await write();
        return rowCount / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static string Summary(List<double> values, string format)
    {
        List<double> sorted = [.. values.Order()];
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"median {F(sorted[sorted.Count / 2])} (min {F(sorted[0])}, max {F(sorted[^1])})";
    }

    /// <summary>Closes of 100 instruments' 1-minute bars, in the order a hub emits them (instrument by instrument per minute).</summary>
    private static List<StoredCandle> Rows(int count)
    {
        var start = new DateTime(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
        var rows = new List<StoredCandle>(count);
        var random = new Random(7);
        for (int i = 0; i < count; i++)
        {
            DateTime at = start.AddMinutes(i / 100);
            long price = 100_000_000_000 + random.Next(1_000_000);
            rows.Add(new StoredCandle($"NSE:SYM{i % 100:D3}", CandleInterval.OneMinute, new Candle(
                at, at.AddMinutes(1), Price.FromRaw(price), Price.FromRaw(price + 5_000_000), Price.FromRaw(price - 5_000_000), Price.FromRaw(price + 1_000_000),
                Quantity.FromUnits(random.Next(1, 10_000)), random.Next(1, 500), CandleFlags.Closed)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
