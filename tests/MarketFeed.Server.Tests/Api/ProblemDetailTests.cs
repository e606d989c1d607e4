using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.Api.MarketDataApiTests;

namespace MarketFeed.Server.Tests.Api;

/// <summary>Every error the gateway answers is problem details with a detail saying what to fix, even the framework's own.</summary>
public class ProblemDetailTests
{
    [Fact]
    public async Task Bodies_the_framework_rejects_get_a_detail()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        await AssertProblemAsync(await PostAsync(f, "{\"symbols\":", "application/json"), HttpStatusCode.BadRequest, "is not the JSON POST /api/subscriptions expects");
        await AssertProblemAsync(await PostAsync(f, "[1,2]", "application/json"), HttpStatusCode.BadRequest, "at $");
        await AssertProblemAsync(await PostAsync(f, "{\"symbols\":5}", "application/json"), HttpStatusCode.BadRequest, "at $.symbols");
        await AssertProblemAsync(await PostAsync(f, "{\"symbols\":[\"NSE:INFY\"]}", null), HttpStatusCode.UnsupportedMediaType, "Content-Type: application/json");
        await AssertProblemAsync(await PostAsync(f, "{\"symbols\":[\"NSE:INFY\"]}", "text/plain"), HttpStatusCode.UnsupportedMediaType, "Content-Type: application/json");
        string huge = "{\"symbols\":[" + string.Join(',', Enumerable.Repeat("\"NSE:INFY\"", 20_000)) + "]}";
        await AssertProblemAsync(await PostAsync(f, huge, "application/json"), HttpStatusCode.RequestEntityTooLarge, "too large: at most 65536 bytes");
    }

    [Fact]
    public async Task Bad_query_values_are_refused_not_clamped()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        await AssertProblemAsync(await f.Http.GetAsync("/api/candles/NSE%3AINFY?interval=1m&count=-5"), HttpStatusCode.BadRequest, "count must be from 0 to 10000");
        await AssertProblemAsync(await f.Http.GetAsync("/api/candles/NSE%3AINFY?interval=1m&count=abc"), HttpStatusCode.BadRequest, "count \"abc\" is not a whole number; see /openapi/v1.json");
        await AssertProblemAsync(await f.Http.GetAsync("/api/instruments?q=INFY&limit=0"), HttpStatusCode.BadRequest, "limit must be from 1 to 500");
        await AssertProblemAsync(await f.Http.GetAsync("/api/no/such/route"), HttpStatusCode.NotFound, "there is no GET /api/no/such/route");
        await AssertProblemAsync(await f.Http.PutAsync("/api/status", null), HttpStatusCode.MethodNotAllowed, "does not accept PUT");
    }

    [Fact]
    public async Task A_subscribed_instrument_without_a_tick_yet_is_not_told_to_subscribe()
    {
        // No ticks at all: the simulator runs so slowly that nothing arrives during the test.
        await using GatewayFixture f = await GatewayFixture.StartAsync(ticksPerInstrumentPerSecond: 0.001);
        await AssertProblemAsync(await f.Http.GetAsync("/api/ticks/NSE%3AINFY/latest"), HttpStatusCode.NotFound, "subscribe to it first");
        (await f.Http.PostAsJsonAsync("/api/subscriptions", new { symbols = new[] { "NSE:INFY" } })).EnsureSuccessStatusCode();

        JsonElement problem = await AssertProblemAsync(await f.Http.GetAsync("/api/ticks/NSE%3AINFY/latest"), HttpStatusCode.NotFound, "it is subscribed");
        Assert.DoesNotContain("subscribe to it first", problem.GetProperty("detail").GetString());
    }

    private static Task<HttpResponseMessage> PostAsync(GatewayFixture f, string body, string? mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        return f.Http.PostAsync("/api/subscriptions", content);
    }
}
