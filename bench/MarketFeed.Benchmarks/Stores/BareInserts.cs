using MarketFeed.History;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace MarketFeed.Benchmarks.Stores;

/// <summary>
/// The baselines: the same rows written the plainest way each database offers, batch by batch (one transaction per
/// batch, as the writer does): a prepared INSERT loop for SQLite, a binary COPY for PostgreSQL, into a plain table with
/// the same columns and key. No conversion beyond the columns, no replace-on-conflict, no queue.
/// </summary>
internal static class BareInserts
{
    private const string Columns = "symbol, interval_s, start_ms, end_ms, open, high, low, close, volume, ticks, flags";

    public static async Task SqliteAsync(string path, IReadOnlyList<StoredCandle> rows, int batch)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using (SqliteCommand create = connection.CreateCommand())
        {
            create.CommandText = $"""
                PRAGMA journal_mode = WAL;
                CREATE TABLE bare (symbol TEXT NOT NULL, interval_s INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
                    open INTEGER, high INTEGER, low INTEGER, close INTEGER, volume INTEGER, ticks INTEGER NOT NULL, flags INTEGER NOT NULL,
                    PRIMARY KEY (symbol, interval_s, start_ms)) WITHOUT ROWID;
                """;
            await create.ExecuteNonQueryAsync();
        }

        for (int from = 0; from < rows.Count; from += batch)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using SqliteCommand insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO bare ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
            var p = new SqliteParameter[11];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + (i + 1) });
            }

            for (int i = from; i < Math.Min(rows.Count, from + batch); i++)
            {
                StoredCandle row = rows[i];
                p[0].Value = row.Symbol;
                p[1].Value = (long)row.Interval.Length.TotalSeconds;
                p[2].Value = (row.Candle.Start - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
                p[3].Value = (row.Candle.End - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
                p[4].Value = row.Candle.Open.Raw;
                p[5].Value = row.Candle.High.Raw;
                p[6].Value = row.Candle.Low.Raw;
                p[7].Value = row.Candle.Close.Raw;
                p[8].Value = row.Candle.Volume.Raw;
                p[9].Value = row.Candle.Ticks;
                p[10].Value = (int)row.Candle.Flags;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    public static Task PostgresAsync(string connectionString, IReadOnlyList<StoredCandle> rows, int batch) => PostgresCopyAsync(connectionString, rows, batch, upsert: false);

    /// <summary>
    /// The alternative the store could use for replace-at-key on PostgreSQL: COPY each batch into a temporary table,
    /// then one INSERT … SELECT … ON CONFLICT DO UPDATE from it (measured against the store's array upsert).
    /// </summary>
    public static Task PostgresCopyUpsertAsync(string connectionString, IReadOnlyList<StoredCandle> rows, int batch) => PostgresCopyAsync(connectionString, rows, batch, upsert: true);

    private static async Task PostgresCopyAsync(string connectionString, IReadOnlyList<StoredCandle> rows, int batch, bool upsert)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            DROP TABLE IF EXISTS bare;
            CREATE TABLE bare (symbol text NOT NULL, interval_s integer NOT NULL, start_time timestamptz NOT NULL, end_time timestamptz NOT NULL,
                open bigint, high bigint, low bigint, close bigint, volume bigint, ticks integer NOT NULL, flags integer NOT NULL,
                PRIMARY KEY (symbol, interval_s, start_time))
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        if (upsert)
        {
            await using var temp = new NpgsqlCommand("CREATE TEMP TABLE incoming (LIKE bare) ON COMMIT DELETE ROWS", connection);
            await temp.ExecuteNonQueryAsync();
        }

        string into = upsert ? "incoming" : "bare";
        for (int from = 0; from < rows.Count; from += batch)
        {
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
            await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
                $"COPY {into} (symbol, interval_s, start_time, end_time, open, high, low, close, volume, ticks, flags) FROM STDIN (FORMAT BINARY)"))
            {
                for (int i = from; i < Math.Min(rows.Count, from + batch); i++)
                {
                    StoredCandle row = rows[i];
                    await copy.StartRowAsync();
                    await copy.WriteAsync(row.Symbol, NpgsqlDbType.Text);
                    await copy.WriteAsync((int)row.Interval.Length.TotalSeconds, NpgsqlDbType.Integer);
                    await copy.WriteAsync(row.Candle.Start, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(row.Candle.End, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(row.Candle.Open.Raw, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.Candle.High.Raw, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.Candle.Low.Raw, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.Candle.Close.Raw, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.Candle.Volume.Raw, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(row.Candle.Ticks, NpgsqlDbType.Integer);
                    await copy.WriteAsync((int)row.Candle.Flags, NpgsqlDbType.Integer);
                }

                await copy.CompleteAsync();
            }

            if (upsert)
            {
                await using var merge = new NpgsqlCommand("""
                    INSERT INTO bare SELECT * FROM incoming ON CONFLICT (symbol, interval_s, start_time) DO UPDATE SET
                        end_time = EXCLUDED.end_time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
                        close = EXCLUDED.close, volume = EXCLUDED.volume, ticks = EXCLUDED.ticks, flags = EXCLUDED.flags
                    """, connection);
                await merge.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }
}
