using MarketFeed.Candles;

namespace MarketFeed.History;

/// <summary>
/// Durable closed candles (SQLite by default, PostgreSQL when configured). Every implementation passes the same
/// contract tests. Calls may block on I/O: the hub never calls a store itself, a writer batches closes off its threads.
/// </summary>
public interface ICandleStore : IAsyncDisposable
{
    /// <summary>What the store is, for status, logs and errors (<c>sqlite /path/candles.db</c>); never holds a password.</summary>
    string Description { get; }

    /// <summary>Opens the store and creates its schema when missing; a corrupt, locked or unreachable store throws naming it.</summary>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Inserts the bars in one transaction; a bar already stored for (symbol, interval, start) is replaced.</summary>
    Task WriteAsync(IReadOnlyList<StoredCandle> candles, CancellationToken cancellationToken);

    /// <summary>The stored bars of one series whose start is in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), oldest first.</summary>
    Task<IReadOnlyList<Candle>> ReadAsync(string symbol, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken);
}
