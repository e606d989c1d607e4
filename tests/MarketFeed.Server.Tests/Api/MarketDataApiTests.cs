using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api;

public class MarketDataApiTests
{
    [Fact]
    public async Task Subscribing_over_http_makes_the_latest_tick_available_and_unsubscribing_removes_it()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        HttpResponseMessage posted = await f.Http.PostAsJsonAsync("/api/subscriptions", new { symbols = new[] { "NSE:INFY", "NSE:NIFTY 50" }, mode = "full" });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        JsonElement list = await f.GetJsonAsync("/api/subscriptions");
        Assert.Equal(["NSE:INFY", "NSE:NIFTY 50"], list.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
        Assert.All(list.GetProperty("subscriptions").EnumerateArray(), s => Assert.Equal("full", s.GetProperty("mode").GetString()));

        JsonElement tick = await EventuallyAsync(() => f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest"));
        Assert.Equal(("tick", "NSE:INFY", "sim"), (tick.GetProperty("type").GetString(), tick.GetProperty("symbol").GetString(), tick.GetProperty("feed").GetString()));
        Assert.Equal(5, tick.GetProperty("depth").GetProperty("bids").GetArrayLength());
        JsonElement index = await EventuallyAsync(() => f.GetJsonAsync("/api/ticks/NSE%3ANIFTY%2050/latest"));
        Assert.Equal("NSE:NIFTY 50", index.GetProperty("symbol").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await f.Http.DeleteAsync("/api/subscriptions/NSE%3AINFY")).StatusCode);
        await AssertProblemAsync(await f.Http.DeleteAsync("/api/subscriptions/NSE%3AINFY"), HttpStatusCode.NotFound, "not subscribed");
    }

    [Fact]
    public async Task Unknown_symbols_are_problem_details_naming_close_matches()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        JsonElement latest = await AssertProblemAsync(await f.Http.GetAsync("/api/ticks/NSE%3ARELIANC/latest"), HttpStatusCode.NotFound, "did you mean NSE:RELIANCE");
        Assert.Equal("NSE:RELIANCE", latest.GetProperty("closeMatches")[0].GetString());

        JsonElement post = await AssertProblemAsync(
            await f.Http.PostAsJsonAsync("/api/subscriptions", new { symbols = new[] { "NSE:INFY", "NSE:TSC" } }), HttpStatusCode.BadRequest, "unknown symbol 'NSE:TSC'");
        Assert.Contains("NSE:TCS", post.GetProperty("closeMatches").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty((await f.GetJsonAsync("/api/subscriptions")).GetProperty("subscriptions").EnumerateArray());

        // Nothing close: the way to search is the API's own, not the command line's.
        JsonElement none = await AssertProblemAsync(await f.Http.GetAsync("/api/ticks/XQZ%3AQQQQQQQ/latest"), HttpStatusCode.NotFound, "no instrument matches; search with GET /api/instruments?q=TEXT");
        Assert.Empty(none.GetProperty("closeMatches").EnumerateArray());
    }

    [Fact]
    public async Task The_first_candle_request_for_a_new_interval_has_its_history()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:INFY"]);
        JsonElement candles = await f.GetJsonAsync("/api/candles/NSE%3AINFY?interval=3m&count=5");
        Assert.Equal(5, candles.EnumerateArray().Count(c => c.GetProperty("closed").GetBoolean()));
    }

    [Fact]
    public async Task Bad_requests_say_what_to_fix()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        await AssertProblemAsync(await f.Http.GetAsync("/api/instruments"), HttpStatusCode.BadRequest, "?q=");
        await AssertProblemAsync(await f.Http.PostAsJsonAsync("/api/subscriptions", new { symbols = new[] { "NSE:INFY" }, mode = "depth" }), HttpStatusCode.BadRequest, "use ltp, quote or full");
        await AssertProblemAsync(await f.Http.PostAsJsonAsync("/api/subscriptions", new { symbols = Array.Empty<string>() }), HttpStatusCode.BadRequest, "at least one symbol");
        await AssertProblemAsync(await f.Http.GetAsync("/api/candles/NSE%3AINFY?interval=7x"), HttpStatusCode.BadRequest, "allowed are");
        await AssertProblemAsync(await f.Http.GetAsync("/api/ticks/NSE%3AINFY/latest"), HttpStatusCode.NotFound, "no tick yet for NSE:INFY");
        using var malformed = new StringContent("{\"symbols\":", System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage response = await f.Http.PostAsync("/api/subscriptions", malformed);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/problem+json", (await f.Http.GetAsync("/no/such/route")).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Instruments_search_returns_the_instrument_shape_best_first()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        JsonElement found = await f.GetJsonAsync("/api/instruments?q=NIFTY%2024000%20CE&limit=5");
        JsonElement first = found[0];
        Assert.Equal(("call", "NFO", "NSE:NIFTY 50", 75), (first.GetProperty("kind").GetString(), first.GetProperty("exchange").GetString(), first.GetProperty("underlying").GetString(), first.GetProperty("lotSize").GetInt32()));
        Assert.Equal("24000", first.GetProperty("strike").GetRawText());
        Assert.Equal("0.05", first.GetProperty("tickSize").GetRawText());
    }

    [Fact]
    public async Task Candles_are_closed_bars_then_the_forming_one_and_current_is_the_forming_one()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:TCS"]);
        JsonElement candles = await EventuallyAsync(async () =>
        {
            JsonElement all = await f.GetJsonAsync("/api/candles/NSE%3ATCS?interval=1s&count=10");
            // The first answer may be history alone (closed bars): a forming bar comes with the next tick.
            return all.GetArrayLength() >= 3 && !all[all.GetArrayLength() - 1].GetProperty("closed").GetBoolean() ? all : throw new InvalidOperationException("not yet");
        });
        JsonElement[] bars = [.. candles.EnumerateArray()];
        Assert.All(bars[..^1], b => Assert.True(b.GetProperty("closed").GetBoolean()));
        Assert.False(bars[^1].GetProperty("closed").GetBoolean());
        Assert.All(bars, b => Assert.Equal("1s", b.GetProperty("interval").GetString()));
        Assert.True(bars.Zip(bars.Skip(1)).All(p => string.CompareOrdinal(p.First.GetProperty("start").GetString(), p.Second.GetProperty("start").GetString()) < 0));

        JsonElement current = await f.GetJsonAsync("/api/candles/NSE%3ATCS/current?interval=1s");
        Assert.False(current.GetProperty("closed").GetBoolean());
    }

    [Fact]
    public async Task Status_health_readiness_and_the_openapi_document_are_served()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:SBIN"]);
        JsonElement status = await EventuallyAsync(async () =>
        {
            JsonElement s = await f.GetJsonAsync("/api/status");
            return s.GetProperty("instruments")[0].GetProperty("state").GetString() == "live" ? s : throw new InvalidOperationException("not live yet");
        });
        Assert.Equal(("sim", "connected"), (status.GetProperty("feeds")[0].GetProperty("feed").GetString(), status.GetProperty("feeds")[0].GetProperty("state").GetString()));
        Assert.True(status.GetProperty("quality").GetProperty("accepted").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/readyz")).StatusCode);

        f.Feed.Disconnect("test");
        await AssertProblemAsync(await f.Http.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, "feed sim is Reconnecting");

        JsonElement openApi = await f.GetJsonAsync("/openapi/v1.json");
        string[] paths = [.. openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name)];
        Assert.Contains("/api/status", paths);
        Assert.Contains("/api/ticks/{symbol}/latest", paths);
        Assert.Contains("/api/candles/{symbol}", paths);
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    internal static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
