using MarketFeed.History;

namespace MarketFeed.Tests.History;

/// <summary>The store contract on the embedded SQLite file (a fresh file per test).</summary>
public sealed class SqliteCandleStoreContractTests : CandleStoreContractTests, IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-sqlite-");

    protected override Task<ICandleStore> CreateStoreAsync() =>
        Task.FromResult<ICandleStore>(new SqliteCandleStore(Path.Combine(_directory.FullName, "data", "candles.db")));

    public void Dispose() => _directory.Delete(recursive: true);
}
