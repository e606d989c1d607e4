using MarketFeed.History;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.History;

/// <summary>The store contract on the real PostgreSQL: this class's own database, its table dropped before each test.</summary>
public sealed class PostgresCandleStoreContractTests(PostgresDatabase database) : CandleStoreContractTests, IClassFixture<PostgresDatabase>, INeedsPostgres
{
    private string _connectionString = "";

    public override async Task InitializeAsync()
    {
        _connectionString = await database.ConnectionStringAsync();
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand("DROP TABLE IF EXISTS candles", connection);
        await drop.ExecuteNonQueryAsync();
    }

    protected override Task<ICandleStore> CreateStoreAsync() => Task.FromResult<ICandleStore>(new PostgresCandleStore(_connectionString));
}
