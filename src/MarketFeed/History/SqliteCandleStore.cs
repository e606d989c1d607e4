using MarketFeed.Candles;
using MarketFeed.Model;
using Microsoft.Data.Sqlite;

namespace MarketFeed.History;

/// <summary>
/// Closed candles in one SQLite file (write-ahead log, so readers never wait for the writer). One row per bar keyed by
/// (symbol, interval, start); prices and volume as their fixed-point integers, times as Unix milliseconds. Nothing
/// to set up: the file and its folder are created on first use.
/// </summary>
public sealed class SqliteCandleStore : ICandleStore
{
    private const string Columns = "symbol, interval_s, start_ms, end_ms, open, high, low, close, volume, ticks, flags";

    private readonly string _connectionString;
    private readonly int _busySeconds;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private volatile bool _opened;

    public SqliteCandleStore(string path, TimeSpan? busyTimeout = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        _busySeconds = (int)Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(5)).TotalSeconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = _busySeconds,
        }.ToString();
    }

    public string Path { get; }

    public string Description => "sqlite " + Path;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_opened)
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await using SqliteCommand command = Command(connection, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS candles (
                    symbol TEXT NOT NULL,
                    interval_s INTEGER NOT NULL,
                    start_ms INTEGER NOT NULL,
                    end_ms INTEGER NOT NULL,
                    open INTEGER, high INTEGER, low INTEGER, close INTEGER, volume INTEGER,
                    ticks INTEGER NOT NULL,
                    flags INTEGER NOT NULL,
                    PRIMARY KEY (symbol, interval_s, start_ms)) WITHOUT ROWID;
                """);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _opened = true;
        }
        catch (SqliteException e)
        {
            throw Fail("cannot be opened", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CandleStoreException($"{Description}: cannot be opened: {e.Message}", e);
        }
        finally
        {
            _opening.Release();
        }
    }

    public async Task WriteAsync(IReadOnlyList<StoredCandle> candles, CancellationToken cancellationToken)
    {
        if (candles.Count == 0)
        {
            return;
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using SqliteCommand insert = Command(connection, $"INSERT OR REPLACE INTO candles ({Columns}) VALUES ($s, $i, $st, $en, $o, $h, $l, $c, $v, $t, $f)");
            insert.Transaction = transaction;
            SqliteParameter[] p = [.. new[] { "$s", "$i", "$st", "$en", "$o", "$h", "$l", "$c", "$v", "$t", "$f" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n }))];
            foreach (StoredCandle stored in candles)
            {
                Candle c = stored.Candle;
                p[0].Value = stored.Symbol;
                p[1].Value = (long)stored.Interval.Length.TotalSeconds;
                p[2].Value = CandleRows.ToUnixMs(c.Start);
                p[3].Value = CandleRows.ToUnixMs(c.End);
                p[4].Value = CandleRows.Raw(c.Open);
                p[5].Value = CandleRows.Raw(c.High);
                p[6].Value = CandleRows.Raw(c.Low);
                p[7].Value = CandleRows.Raw(c.Close);
                p[8].Value = c.Volume.HasValue ? c.Volume.Raw : DBNull.Value;
                p[9].Value = c.Ticks;
                p[10].Value = (int)c.Flags;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Fail("cannot be written", e);
        }
    }

    public async Task<IReadOnlyList<Candle>> ReadAsync(string symbol, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await using SqliteCommand select = Command(connection, $"""
                SELECT start_ms, end_ms, open, high, low, close, volume, ticks, flags FROM candles
                WHERE symbol = $s AND interval_s = $i AND start_ms >= $from AND start_ms < $to ORDER BY start_ms
                """);
            select.Parameters.AddWithValue("$s", symbol);
            select.Parameters.AddWithValue("$i", (long)interval.Length.TotalSeconds);
            select.Parameters.AddWithValue("$from", CandleRows.ToUnixMs(fromUtc));
            select.Parameters.AddWithValue("$to", CandleRows.ToUnixMs(toUtc));
            await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var candles = new List<Candle>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candles.Add(new Candle(
                    CandleRows.FromUnixMs(reader.GetInt64(0)),
                    CandleRows.FromUnixMs(reader.GetInt64(1)),
                    Price.FromRaw(reader.IsDBNull(2) ? Price.None.Raw : reader.GetInt64(2)),
                    Price.FromRaw(reader.IsDBNull(3) ? Price.None.Raw : reader.GetInt64(3)),
                    Price.FromRaw(reader.IsDBNull(4) ? Price.None.Raw : reader.GetInt64(4)),
                    Price.FromRaw(reader.IsDBNull(5) ? Price.None.Raw : reader.GetInt64(5)),
                    reader.IsDBNull(6) ? Quantity.None : Quantity.FromRaw(reader.GetInt64(6)),
                    reader.GetInt32(7),
                    (CandleFlags)reader.GetInt32(8)));
            }

            return candles;
        }
        catch (SqliteException e)
        {
            throw Fail("cannot be read", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and its WAL unmerged) until the pool lets go of them.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _opening.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private SqliteCommand Command(SqliteConnection connection, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = _busySeconds;
        return command;
    }

    private CandleStoreException Fail(string what, SqliteException e) => new(
        e.SqliteErrorCode switch
        {
            5 or 6 => $"{Description}: {what}: the file is locked by another process or connection",
            11 or 26 => $"{Description}: {what}: the file is corrupt or not a SQLite database",
            13 => $"{Description}: {what}: the disk is full",
            8 or 14 or 23 => $"{Description}: {what}: the file or its folder is not accessible ({e.Message})",
            _ => $"{Description}: {what}: {e.Message}",
        },
        e);
}
