using Microsoft.Extensions.Configuration;

namespace MarketFeed.History;

/// <summary>
/// Where closed candles are kept and how they are written (configuration section <c>History</c>). By default an
/// embedded SQLite file in <see cref="DefaultDirectory"/>; PostgreSQL when <see cref="Postgres"/> holds a connection string.
/// </summary>
public sealed class CandleStoreOptions
{
    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>none</c> (nothing stored). Default: <c>postgres</c> when <see cref="Postgres"/> is set, else <c>sqlite</c>.</summary>
    public string? Store { get; set; }

    /// <summary>The data directory holding the SQLite file. Default <see cref="DefaultDirectory"/>.</summary>
    public string? Directory { get; set; }

    /// <summary>The SQLite file; a relative path is taken inside <see cref="Directory"/>. Default <c>candles.db</c>.</summary>
    public string Sqlite { get; set; } = "candles.db";

    /// <summary>A PostgreSQL connection string (<c>Host=...;Database=...;Username=...;Password=...</c>). Default none.</summary>
    public string? Postgres { get; set; }

    /// <summary>How long a write waits for a SQLite file another connection holds locked before it fails. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Candles written in one transaction at most. Default 1,000.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Candles held while the store is slow or down; past this, new ones are dropped and counted. Default 100,000.</summary>
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>How often a failed store is tried again. Default 2 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>$XDG_DATA_HOME/marketfeed</c>, else <c>~/.local/share/marketfeed</c> (on Windows <c>%LOCALAPPDATA%\marketfeed</c>);
    /// the working directory's <c>marketfeed-data</c> when the system names no home.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(root) ? Path.GetFullPath("marketfeed-data") : Path.Combine(root, "marketfeed");
        }
    }

    /// <summary>The SQLite file's full path.</summary>
    public string SqlitePath => Path.GetFullPath(Path.Combine(Directory ?? DefaultDirectory, Sqlite));

    /// <summary>The store kind these options select: <c>sqlite</c>, <c>postgres</c> or <c>none</c>.</summary>
    public string Kind => (Store ?? (string.IsNullOrWhiteSpace(Postgres) ? "sqlite" : "postgres")).Trim().ToLowerInvariant();

    /// <summary>The <c>History</c> section of <paramref name="configuration"/>, defaults where it says nothing.</summary>
    public static CandleStoreOptions From(IConfiguration configuration)
    {
        var options = new CandleStoreOptions();
        configuration.GetSection("History").Bind(options);
        return options;
    }

    /// <summary>Creates the store these options select (not yet opened); null for <c>none</c>.</summary>
    public ICandleStore? CreateStore()
    {
        Validate();
        return Kind switch
        {
            "none" => null,
            "postgres" => new PostgresCandleStore(Postgres ?? throw new CandleStoreException("History:Store is postgres but History:Postgres holds no connection string")),
            _ => new SqliteCandleStore(SqlitePath, BusyTimeout),
        };
    }

    internal void Validate()
    {
        if (Kind is not ("sqlite" or "postgres" or "none"))
        {
            throw new CandleStoreException($"History:Store '{Store}' is not valid: use sqlite, postgres or none");
        }

        if (BatchSize < 1 || BufferCapacity < 1 || RetryInterval <= TimeSpan.Zero || BusyTimeout < TimeSpan.Zero)
        {
            throw new CandleStoreException("History: BatchSize and BufferCapacity must be at least 1, RetryInterval positive and BusyTimeout not negative");
        }
    }
}
