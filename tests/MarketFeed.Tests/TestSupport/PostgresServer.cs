using Npgsql;

namespace MarketFeed.Tests.TestSupport;

/// <summary>
/// The real PostgreSQL the store tests run against (scripts/services/postgres.sh installs and starts it and creates the
/// <c>marketfeed_test</c> role). <c>MARKETFEED_TEST_POSTGRES</c> overrides the server (a connection string whose role
/// may create databases). Each <see cref="PostgresDatabase"/> is a database of its own, dropped when disposed.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<string?> Missing = new(Probe);

    public static string ConnectionString { get; } = Environment.GetEnvironmentVariable("MARKETFEED_TEST_POSTGRES") is { Length: > 0 } cs
        ? cs : "Host=127.0.0.1;Port=5432;Username=marketfeed_test;Password=marketfeed_test;Database=postgres;Timeout=5";

    /// <summary>Why the server cannot be used (null when it answers), with what to do about it.</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>True when a test needing the server must fail rather than skip (<c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A connection string for <paramref name="database"/> on the server.</summary>
    public static string For(string database) => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Pooling = true }.ToString();

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string? Probe()
    {
        try
        {
            ExecuteAsync("SELECT 1").GetAwaiter().GetResult();
            SweepAbandoned();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"no PostgreSQL at {builder.Host}:{builder.Port} for role {builder.Username} ({e.Message.Split('\n')[0]}): run scripts/services/postgres.sh, or set MARKETFEED_TEST_POSTGRES";
        }
    }

    /// <summary>Drops the databases of test processes that died before dropping their own.</summary>
    private static void SweepAbandoned()
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        var names = new List<string>();
        using (var list = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{PostgresDatabase.Prefix}%'", connection))
        using (NpgsqlDataReader reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (string name in names)
        {
            if (int.TryParse(name.Split('_')[1], out int pid) && !IsRunning(pid))
            {
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
