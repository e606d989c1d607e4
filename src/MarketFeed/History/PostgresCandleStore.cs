using System.Net.Sockets;
using MarketFeed.Candles;
using MarketFeed.Model;
using Npgsql;
using NpgsqlTypes;

namespace MarketFeed.History;

/// <summary>
/// Closed candles in a PostgreSQL table <c>candles</c> (created when missing), keyed by (symbol, interval, start);
/// prices and volume as their fixed-point integers (value × 10^8), times as <c>timestamptz</c>. A batch is one
/// statement: the rows go over as arrays and are upserted in one round trip.
/// </summary>
public sealed class PostgresCandleStore : ICandleStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private volatile bool _opened;

    public PostgresCandleStore(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new CandleStoreException($"postgres: the connection string is not valid ({e.Message})", e);
        }

        Description = $"postgres {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public string Description { get; }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_opened)
            {
                await using NpgsqlCommand create = _dataSource.CreateCommand("""
                    CREATE TABLE IF NOT EXISTS candles (
                        symbol text NOT NULL,
                        interval_s integer NOT NULL,
                        start_time timestamptz NOT NULL,
                        end_time timestamptz NOT NULL,
                        open bigint, high bigint, low bigint, close bigint, volume bigint,
                        ticks integer NOT NULL,
                        flags integer NOT NULL,
                        PRIMARY KEY (symbol, interval_s, start_time))
                    """);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _opened = true;
            }
        }
        catch (Exception e) when (IsStoreError(e))
        {
            throw Fail("cannot be opened", e);
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
        IReadOnlyList<StoredCandle> rows = CandleRows.LastPerKey(candles);
        int n = rows.Count;
        var symbols = new string[n];
        var intervals = new int[n];
        var starts = new DateTime[n];
        var ends = new DateTime[n];
        var open = new long?[n];
        var high = new long?[n];
        var low = new long?[n];
        var close = new long?[n];
        var volume = new long?[n];
        var ticks = new int[n];
        var flags = new int[n];
        for (int i = 0; i < n; i++)
        {
            Candle c = rows[i].Candle;
            symbols[i] = rows[i].Symbol;
            intervals[i] = (int)rows[i].Interval.Length.TotalSeconds;
            starts[i] = DateTime.SpecifyKind(c.Start, DateTimeKind.Utc);
            ends[i] = DateTime.SpecifyKind(c.End, DateTimeKind.Utc);
            open[i] = Raw(c.Open);
            high[i] = Raw(c.High);
            low[i] = Raw(c.Low);
            close[i] = Raw(c.Close);
            volume[i] = c.Volume.HasValue ? c.Volume.Raw : null;
            ticks[i] = c.Ticks;
            flags[i] = (int)c.Flags;
        }

        try
        {
            await using NpgsqlCommand upsert = _dataSource.CreateCommand("""
                INSERT INTO candles (symbol, interval_s, start_time, end_time, open, high, low, close, volume, ticks, flags)
                SELECT * FROM unnest($1::text[], $2::integer[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], $6::bigint[],
                                     $7::bigint[], $8::bigint[], $9::bigint[], $10::integer[], $11::integer[])
                ON CONFLICT (symbol, interval_s, start_time) DO UPDATE SET
                    end_time = EXCLUDED.end_time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
                    close = EXCLUDED.close, volume = EXCLUDED.volume, ticks = EXCLUDED.ticks, flags = EXCLUDED.flags
                """);
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { Value = symbols });
            upsert.Parameters.Add(new NpgsqlParameter<int[]> { Value = intervals });
            upsert.Parameters.Add(new NpgsqlParameter<DateTime[]> { Value = starts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            upsert.Parameters.Add(new NpgsqlParameter<DateTime[]> { Value = ends, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            foreach (long?[] column in new[] { open, high, low, close, volume })
            {
                upsert.Parameters.Add(new NpgsqlParameter<long?[]> { Value = column });
            }

            upsert.Parameters.Add(new NpgsqlParameter<int[]> { Value = ticks });
            upsert.Parameters.Add(new NpgsqlParameter<int[]> { Value = flags });
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreError(e))
        {
            throw Fail("cannot be written", e);
        }
    }

    public async Task<IReadOnlyList<Candle>> ReadAsync(string symbol, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using NpgsqlCommand select = _dataSource.CreateCommand("""
                SELECT start_time, end_time, open, high, low, close, volume, ticks, flags FROM candles
                WHERE symbol = $1 AND interval_s = $2 AND start_time >= $3 AND start_time < $4 ORDER BY start_time
                """);
            select.Parameters.Add(new NpgsqlParameter<string> { Value = symbol });
            select.Parameters.Add(new NpgsqlParameter<int> { Value = (int)interval.Length.TotalSeconds });
            select.Parameters.Add(new NpgsqlParameter<DateTime> { Value = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            select.Parameters.Add(new NpgsqlParameter<DateTime> { Value = DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var candles = new List<Candle>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candles.Add(new Candle(
                    reader.GetFieldValue<DateTime>(0),
                    reader.GetFieldValue<DateTime>(1),
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
        catch (Exception e) when (IsStoreError(e))
        {
            throw Fail("cannot be read", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _opening.Dispose();
    }

    private static long? Raw(Price price) => price.HasValue ? price.Raw : null;

    private static bool IsStoreError(Exception e) => e is NpgsqlException or SocketException or IOException or TimeoutException;

    private CandleStoreException Fail(string what, Exception e) => new($"{Description}: {what}: {e.Message}", e);
}
