using System.Text.Json;
using MarketFeed.History;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api;

/// <summary>
/// The candle store's state in /api/status and /metrics, and a corrupt SQLite file under a serving gateway: the store
/// fails naming the file, the gateway keeps serving live data.
/// </summary>
public sealed class StoreStatusTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-gateway-store-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_corrupt_store_is_failed_in_status_and_metrics_naming_the_file_while_the_gateway_keeps_serving()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(ticksPerInstrumentPerSecond: 200, symbols: ["NSE:INFY"]);
        Assert.Equal(JsonValueKind.Null, (await f.GetJsonAsync("/api/status")).GetProperty("store").ValueKind);
        Assert.DoesNotContain("marketfeed_store", await f.Http.GetStringAsync("/metrics"));

        string path = Path.Combine(_directory.FullName, "candles.db");
        await File.WriteAllTextAsync(path, "this is not a database, it is a note someone saved over the candles file\n");
        f.Gateway.Host.UseCandleStore(new SqliteCandleStore(path), new CandleStoreOptions { RetryInterval = TimeSpan.FromMinutes(5) });

        JsonElement store = await MarketDataApiTests.EventuallyAsync(async () =>
        {
            JsonElement s = (await f.GetJsonAsync("/api/status")).GetProperty("store");
            Assert.Equal("failed", s.GetProperty("state").GetString());
            return s;
        });
        Assert.Equal("sqlite", store.GetProperty("kind").GetString());
        Assert.Equal("sqlite " + path, store.GetProperty("description").GetString());
        Assert.Equal($"sqlite {path}: cannot be opened: the file is corrupt or not a SQLite database", store.GetProperty("lastError").GetString());
        Assert.Equal(1, store.GetProperty("failures").GetInt64());
        Assert.Equal(0, store.GetProperty("written").GetInt64());

        var checker = new OpenApi.OpenApiSchemaChecker(await f.GetJsonAsync("/openapi/v1.json"));
        Assert.Empty(checker.Check(await f.GetJsonAsync("/api/status"), checker.ResponseSchema("/api/status", "get", 200)));

        string metrics = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_store_state{kind=\"sqlite\",state=\"failed\"} 1\n", metrics);
        Assert.Contains("marketfeed_store_state{kind=\"sqlite\",state=\"ok\"} 0\n", metrics);
        Assert.Contains("marketfeed_store_failures_total{kind=\"sqlite\"} 1\n", metrics);
        Assert.Contains("marketfeed_store_written_total{kind=\"sqlite\"} 0\n", metrics);
        Assert.Matches("marketfeed_store_pending\\{kind=\"sqlite\"\\} \\d+\n", metrics);

        // Live data goes on.
        long seq = (await f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest")).GetProperty("seq").GetInt64();
        await MarketDataApiTests.EventuallyAsync(async () =>
        {
            JsonElement latest = await f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest");
            Assert.True(latest.GetProperty("seq").GetInt64() > seq);
            return latest;
        });
    }
}
