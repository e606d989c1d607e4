using System.Text.Json;
using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Metrics;

/// <summary>The hub's internal errors are counted where users look: status and /metrics.</summary>
public class InternalErrorMetricsTests
{
    [Fact]
    public async Task A_pipeline_error_shows_in_status_and_metrics_and_the_pipeline_goes_on()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:INFY"]);
        string before = await f.Http.GetStringAsync("/metrics");
        Assert.Contains("marketfeed_hub_errors_total{kind=\"pipeline\"} 0", before);

        // A venue's continuity hook with a bug: the event that reaches it throws on the hub's pipeline.
        InstrumentId infy = f.Gateway.Host.Resolve("NSE:INFY").Id;
        BookUpdate update = BookUpdate.Rent();
        update.Instrument = infy;
        update.IsSnapshot = true;
        update.Continuity = new ThrowingContinuity();
        update.AddBid(Price.FromDecimal(1500m), Quantity.FromUnits(1));
        await f.Gateway.Host.Hub.PublishAsync(update);
        await f.Gateway.Host.Hub.FlushAsync();

        JsonElement status = await f.GetJsonAsync("/api/status");
        Assert.Equal(1, status.GetProperty("quality").GetProperty("pipelineErrors").GetInt64());
        Assert.Contains("marketfeed_hub_errors_total{kind=\"pipeline\"} 1", await f.Http.GetStringAsync("/metrics"));

        long seq = (await Api.MarketDataApiTests.EventuallyAsync(() => f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest"))).GetProperty("seq").GetInt64();
        await Api.MarketDataApiTests.EventuallyAsync(async () =>
        {
            JsonElement latest = await f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest");
            Assert.True(latest.GetProperty("seq").GetInt64() > seq);
            return latest;
        });
    }

    private sealed class ThrowingContinuity : IBookContinuity
    {
        public ContinuityVerdict Admit(OrderBook book, BookUpdate diff) => throw new InvalidOperationException("bug in a continuity hook");

        public bool Verify(OrderBook book, BookUpdate update) => throw new InvalidOperationException("bug in a continuity hook");
    }
}
