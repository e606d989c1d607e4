using System.Text.Json;
using MarketFeed.Health;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api;

/// <summary>The bus object of /api/status and its /metrics series, for every field a publisher or a consumer reports.</summary>
public sealed class BusStatusTests
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 15, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Bus_status_is_null_without_a_bus_and_fully_described_with_one()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:INFY"]);
        Assert.Equal(JsonValueKind.Null, (await f.GetJsonAsync("/api/status")).GetProperty("bus").ValueKind);
        Assert.DoesNotContain("marketfeed_bus", await f.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        var checker = new OpenApi.OpenApiSchemaChecker(await f.GetJsonAsync("/openapi/v1.json"));

        var publisher = new BusStatus("publisher", "connected", "amqp://guest:***@127.0.0.1:5672/", "gw-1", null,
            new BusPublishStatus(1_772_000_000, [0, 1], 5_000, 812.5, 140, 139, 3, 7, 2, 1, new LatencySummary(1.5, 9.25, 139), [1]), null);
        f.Gateway.Host.ReportBus(() => publisher);
        JsonElement bus = (await f.GetJsonAsync("/api/status")).GetProperty("bus");
        Assert.Empty(checker.Check(await f.GetJsonAsync("/api/status"), checker.ResponseSchema("/api/status", "get", 200)));
        Assert.Equal(("publisher", "connected", 1_772_000_000L), (bus.GetProperty("role").GetString(), bus.GetProperty("state").GetString(), bus.GetProperty("publish").GetProperty("epoch").GetInt64()));
        Assert.Equal(9.25, bus.GetProperty("publish").GetProperty("confirmLatency").GetProperty("p99Ms").GetDouble());
        Assert.Equal([1], bus.GetProperty("publish").GetProperty("standingBy").EnumerateArray().Select(s => s.GetInt32()));
        string metrics = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_bus_state{role=\"publisher\",state=\"connected\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_published_events_total 5000\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_dropped_events_total 7\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_buffered_batches 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_standing_by_shards 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_confirm_latency_ms{quantile=\"0.99\"} 9.25\n", metrics, StringComparison.Ordinal);

        var consumer = new BusStatus("consumer", "error", "amqp://guest:***@127.0.0.1:5672/", "c-1", "the broker at amqp://guest:***@127.0.0.1:5672/ refused the user name or password (ACCESS_REFUSED)", null,
            new BusConsumeStatus([0, 1], 4_000, 640, 120, 2, 1, 1, 3, 4, "marketfeed.s.0 offset 12: damaged: CRC mismatch", new LatencySummary(2, 20, 90),
                [new BusProducerStatus("gw-1", 1_772_000_000, "live", 120, 12), new BusProducerStatus("gw-2", 1_771_000_000, "silent", 9_000, 7)],
                [new BusGap("NSE:INFY", "tick", "gw-1", 41, 44, At), new BusGap("*", "batch", "gw-2", 7, 7, At)]));
        f.Gateway.Host.ReportBus(() => consumer);
        Assert.Empty(checker.Check(await f.GetJsonAsync("/api/status"), checker.ResponseSchema("/api/status", "get", 200)));
        bus = (await f.GetJsonAsync("/api/status")).GetProperty("bus");
        Assert.Equal(JsonValueKind.Null, bus.GetProperty("publish").ValueKind);
        JsonElement gap = bus.GetProperty("consume").GetProperty("recentGaps")[0];
        Assert.Equal(("NSE:INFY", 41L, 44L), (gap.GetProperty("symbol").GetString(), gap.GetProperty("from").GetInt64(), gap.GetProperty("to").GetInt64()));
        metrics = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_bus_state{role=\"consumer\",state=\"error\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_gaps_total 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_skipped_total{reason=\"unknown_version\"} 4\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_producers{state=\"silent\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("marketfeed_bus_delivery_latency_ms{quantile=\"0.5\"} 2\n", metrics, StringComparison.Ordinal);
    }
}
