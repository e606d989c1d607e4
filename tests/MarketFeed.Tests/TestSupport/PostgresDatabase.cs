namespace MarketFeed.Tests.TestSupport;

/// <summary>
/// A database of one test class's own on the test server (<see cref="PostgresServer"/>), created on first use and
/// dropped with the class. Use as a class fixture; a missing server fails <see cref="ConnectionStringAsync"/>, so
/// only a test that needs it (marked <see cref="StoreFactAttribute"/> or <see cref="PostgresFactAttribute"/>) meets it.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string Prefix = "mftest_";

    private readonly SemaphoreSlim _creating = new(1, 1);
    private bool _created;

    public string Name { get; } = $"{Prefix}{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];

    /// <summary>The database's connection string, the database created first if needed.</summary>
    public async Task<string> ConnectionStringAsync()
    {
        if (PostgresServer.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        await _creating.WaitAsync();
        try
        {
            if (!_created)
            {
                await PostgresServer.ExecuteAsync($"CREATE DATABASE \"{Name}\"");
                _created = true;
            }
        }
        finally
        {
            _creating.Release();
        }

        return PostgresServer.For(Name);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_created)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }

        _creating.Dispose();
    }
}
