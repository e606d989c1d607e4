using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Hosting;
using MarketFeed.Server.Security;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Security;

public class OriginPolicyTests
{
    private const string Foreign = "http://attacker.test";

    [Fact]
    public async Task Every_stream_refuses_a_foreign_origin_with_a_problem_naming_the_setting()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        foreach (string path in new[] { "/ws", "/ws/ticks/NSE%3AINFY", "/ws/candles/NSE%3AINFY?interval=1m" })
        {
            using HttpRequestMessage upgrade = Upgrade(path, Foreign);
            using HttpResponseMessage response = await f.Http.SendAsync(upgrade, HttpCompletionOption.ResponseHeadersRead);
            await AssertRefusedAsync(response);
        }

        using var events = new HttpRequestMessage(HttpMethod.Get, "/api/stream?symbols=NSE:INFY");
        events.Headers.Add("Origin", Foreign);
        using HttpResponseMessage refusedEvents = await f.Http.SendAsync(events, HttpCompletionOption.ResponseHeadersRead);
        await AssertRefusedAsync(refusedEvents);

        Assert.Contains("marketfeed_origins_rejected_total 4\n", await f.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task No_origin_the_gateways_own_origin_and_configured_origins_may_stream_and_near_misses_may_not()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(new ServerOptions { CorsOrigins = ["https://app.example.test/"] });
        string own = f.Gateway.Address.GetLeftPart(UriPartial.Authority);
        foreach (string? origin in new[] { null, own, "HTTPS://App.Example.Test", "https://app.example.test:443" })
        {
            using var socket = new ClientWebSocket();
            if (origin is not null)
            {
                socket.Options.SetRequestHeader("Origin", origin);
            }

            await socket.ConnectAsync(f.WebSocketUri("/ws"), CancellationToken.None);
            await GatewayFixture.SendAsync(socket, new { op = "ping" });
            Assert.Equal("pong", (await GatewayFixture.ReceiveAsync(socket))?.GetProperty("type").GetString());
        }

        using var events = new HttpRequestMessage(HttpMethod.Get, "/api/stream?symbols=NSE:INFY");
        events.Headers.Add("Origin", "https://app.example.test");
        using HttpResponseMessage allowedEvents = await f.Http.SendAsync(events, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, allowedEvents.StatusCode);
        Assert.Equal("https://app.example.test", allowedEvents.Headers.GetValues("Access-Control-Allow-Origin").Single());

        // Another port, another scheme, another name for the same machine, an opaque origin.
        foreach (string origin in new[] { "https://app.example.test:8443", "http://app.example.test", own.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), "null" })
        {
            using HttpRequestMessage upgrade = Upgrade("/ws", origin);
            using HttpResponseMessage response = await f.Http.SendAsync(upgrade, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_configured_origin_that_is_not_an_origin_refuses_to_start_and_names_the_setting()
    {
        await using MarketFeedHost host = await MarketFeedHost.StartAsync();
        foreach (string origin in new[] { "app.example.test", "https://app.example.test/dashboard" })
        {
            GatewayConfigurationException error = await Assert.ThrowsAsync<GatewayConfigurationException>(() =>
                Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0", CorsOrigins = [origin] }));
            Assert.Contains("Server:CorsOrigins", error.Message);
        }
    }

    [Fact]
    public async Task A_page_from_another_origin_cannot_read_the_stream_while_the_gateways_own_page_can()
    {
        // Newer Chromium also holds back a public page's requests to this machine, but asks the user to let them
        // through, and other browsers do not: the gateway must refuse on its own, so the test turns that check off.
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync("--disable-features=LocalNetworkAccessChecks");
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync();

        // Any site the user visits: the browser opens the socket to localhost and says where the page came from.
        await page.RouteAsync(Foreign + "/**", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<!doctype html><title>elsewhere</title>" }));
        await page.GotoAsync(Foreign + "/");
        Assert.Equal("closed 1006", await ReadStreamAsync(page, f));
        Assert.Contains("marketfeed_origins_rejected_total 1\n", await f.Http.GetStringAsync("/metrics"));

        await page.GotoAsync(new Uri(f.Gateway.Address, "/healthz").ToString());
        Assert.StartsWith("read: ", await ReadStreamAsync(page, f), StringComparison.Ordinal);
    }

    private static async Task<string> ReadStreamAsync(IPage page, GatewayFixture f) =>
        await page.EvaluateAsync<string>(
            """
            url => new Promise(resolve => {
              const socket = new WebSocket(url);
              socket.onopen = () => socket.send(JSON.stringify({ op: 'subscribe', symbols: ['NSE:INFY'], channels: ['ticks'] }));
              socket.onmessage = (e) => { resolve('read: ' + e.data); socket.close(); };
              socket.onclose = (e) => resolve('closed ' + e.code);
            })
            """,
            f.WebSocketUri("/ws").ToString());

    /// <summary>A WebSocket upgrade request as a browser page would send it, read with HttpClient to see the HTTP answer.</summary>
    private static HttpRequestMessage Upgrade(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        string detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(Foreign, detail);
        Assert.Contains("Server:CorsOrigins", detail);
        Assert.DoesNotContain('\n', detail);
    }
}
