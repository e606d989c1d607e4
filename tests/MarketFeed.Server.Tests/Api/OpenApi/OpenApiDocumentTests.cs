using System.Net;
using System.Text;
using System.Text.Json;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Api.OpenApi;

/// <summary>
/// The OpenAPI document describes what the gateway really serves: every answer of every operation, success and
/// problem, is checked against the document's schema for that status, strictly (no undescribed field, no missing
/// required one, no wrong type).
/// </summary>
public class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_live_answer_matches_the_schema_the_document_gives_for_its_status()
    {
        await using GatewayFixture f = await StartedAsync();
        var checker = new OpenApiSchemaChecker(await f.GetJsonAsync("/openapi/v1.json"));
        (string Method, string Template, string Path, string? Body, HttpStatusCode Status)[] calls =
        [
            ("get", "/api/status", "/api/status", null, HttpStatusCode.OK),
            ("get", "/api/instruments", "/api/instruments?q=NIFTY&limit=5", null, HttpStatusCode.OK),
            ("get", "/api/instruments", "/api/instruments", null, HttpStatusCode.BadRequest),
            ("get", "/api/subscriptions", "/api/subscriptions", null, HttpStatusCode.OK),
            ("post", "/api/subscriptions", "/api/subscriptions", """{"symbols":["NSE:INFY"],"mode":"quote"}""", HttpStatusCode.OK),
            ("post", "/api/subscriptions", "/api/subscriptions", """{"symbols":["NSE:INFX"]}""", HttpStatusCode.BadRequest),
            ("post", "/api/subscriptions", "/api/subscriptions", """{"symbols":["NSE:INFY"],"mode":"fast"}""", HttpStatusCode.BadRequest),
            ("delete", "/api/subscriptions/{symbol}", "/api/subscriptions/NSE:ITC", null, HttpStatusCode.NotFound),
            ("get", "/api/ticks/{symbol}/latest", "/api/ticks/NSE:RELIANCE/latest", null, HttpStatusCode.OK),
            ("get", "/api/ticks/{symbol}/latest", "/api/ticks/BINANCE:BTCUSDT/latest", null, HttpStatusCode.OK),
            ("get", "/api/ticks/{symbol}/latest", "/api/ticks/NSE:RELIANC/latest", null, HttpStatusCode.NotFound),
            ("get", "/api/candles/{symbol}", "/api/candles/NSE:RELIANCE?interval=1m&count=5", null, HttpStatusCode.OK),
            ("get", "/api/candles/{symbol}", "/api/candles/NSE:RELIANCE?interval=7x", null, HttpStatusCode.BadRequest),
            ("get", "/api/candles/{symbol}/current", "/api/candles/NSE:RELIANCE/current?interval=1m", null, HttpStatusCode.OK),
            ("get", "/api/candles/{symbol}/status", "/api/candles/NSE:RELIANCE/status", null, HttpStatusCode.OK),
            ("get", "/api/candles/{symbol}/status", "/api/candles/NSE:RELIANC/status", null, HttpStatusCode.NotFound),
            ("get", "/api/books/{symbol}", "/api/books/BINANCE:BTCUSDT?depth=5", null, HttpStatusCode.OK),
            ("get", "/api/books/{symbol}", "/api/books/BINANCE:BTCUSDT?depth=0", null, HttpStatusCode.BadRequest),
            ("get", "/api/books/{symbol}", "/api/books/NSE:RELIANCE", null, HttpStatusCode.NotFound),
            ("get", "/api/chains", "/api/chains", null, HttpStatusCode.OK),
            ("get", "/api/chains/{underlying}", "/api/chains/NIFTY?strikes=2", null, HttpStatusCode.OK),
            ("get", "/api/chains/{underlying}", "/api/chains/NIFTY?expiry=2000-01-04", null, HttpStatusCode.NotFound),
            ("get", "/api/chains/{underlying}", "/api/chains/NSE:RELIANCE", null, HttpStatusCode.NotFound),
            ("get", "/api/chains/{underlying}", "/api/chains/NIFTY?strikes=0", null, HttpStatusCode.BadRequest),
            ("get", "/api/stream", "/api/stream", null, HttpStatusCode.BadRequest),
            ("get", "/healthz", "/healthz", null, HttpStatusCode.OK),
            ("get", "/readyz", "/readyz", null, HttpStatusCode.OK),
        ];

        var problems = new List<string>();
        foreach ((string method, string template, string path, string? body, HttpStatusCode status) in calls)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = await f.Http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            string contentType = response.Content.Headers.ContentType!.MediaType!;
            JsonElement schema = checker.ResponseSchema(template, method, (int)status, contentType);
            problems.AddRange(checker.Check(JsonDocument.Parse(text).RootElement, schema).Select(p => $"{method.ToUpperInvariant()} {path}: {p}"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Every_operation_describes_its_success_and_every_problem_it_can_answer()
    {
        await using GatewayFixture f = await StartedAsync();
        JsonElement document = await f.GetJsonAsync("/openapi/v1.json");
        foreach (JsonProperty path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (JsonProperty operation in path.Value.EnumerateObject())
            {
                string name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                JsonElement responses = operation.Value.GetProperty("responses");
                Assert.True(responses.TryGetProperty("200", out _) || responses.TryGetProperty("204", out _), $"{name}: no success response");
                foreach (JsonProperty response in responses.EnumerateObject())
                {
                    Assert.True(response.Name == "204" || response.Value.TryGetProperty("content", out _), $"{name} {response.Name}: no content described");
                    if (response.Name[0] is '4' or '5')
                    {
                        Assert.Equal("#/components/schemas/ProblemDetails",
                            response.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
                    }
                }
            }
        }

        JsonElement problem = document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        Assert.Contains("detail", problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    /// <summary>A gateway with RELIANCE and BTCUSDT in full mode, once each has a tick, a forming candle and (BTC) a book.</summary>
    internal static async Task<GatewayFixture> StartedAsync()
    {
        GatewayFixture f = await GatewayFixture.StartAsync();
        f.Gateway.Subscriptions.Add(["NSE:RELIANCE", "BINANCE:BTCUSDT"], FeedMode.Full);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await f.Http.GetAsync("/api/books/BINANCE:BTCUSDT")).IsSuccessStatusCode
            || !(await f.Http.GetAsync("/api/candles/NSE:RELIANCE/current?interval=1m")).IsSuccessStatusCode)
        {
            await Task.Delay(50, timeout.Token);
        }

        return f;
    }
}
