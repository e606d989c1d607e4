using System.Text.Json;
using MarketFeed.History;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api;

/// <summary>Reconciliation's counters in /api/status (as the OpenAPI document describes them, strictly) and in /metrics.</summary>
public sealed class ReconciliationStatusTests
{
    [Fact]
    public async Task Status_and_metrics_show_the_reconciliation_counters_once_it_runs()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:INFY"]);
        Assert.Equal(JsonValueKind.Null, (await f.GetJsonAsync("/api/status")).GetProperty("reconciliation").ValueKind);
        Assert.DoesNotContain("marketfeed_history_reconciliation", await f.Http.GetStringAsync("/metrics"));

        f.Gateway.Host.StartReconciliation(new ReconciliationOptions());
        JsonElement status = await f.GetJsonAsync("/api/status");
        JsonElement reconciliation = status.GetProperty("reconciliation");
        Assert.Equal(
            ["checked", "revised", "backfilled", "failed", "unmatched", "requests", "outages", "pending"],
            reconciliation.EnumerateObject().Select(p => p.Name));
        Assert.All(reconciliation.EnumerateObject(), p => Assert.True(p.Value.GetInt64() >= 0));

        var checker = new OpenApi.OpenApiSchemaChecker(await f.GetJsonAsync("/openapi/v1.json"));
        Assert.Empty(checker.Check(status, checker.ResponseSchema("/api/status", "get", 200)));

        string metrics = await f.Http.GetStringAsync("/metrics");
        foreach (string kind in new[] { "checked", "revised", "backfilled", "failed", "unmatched", "requests" })
        {
            Assert.Contains($"marketfeed_history_reconciliation_total{{kind=\"{kind}\"}} ", metrics);
        }
    }
}
