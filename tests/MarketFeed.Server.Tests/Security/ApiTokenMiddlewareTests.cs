using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using MarketFeed.Hosting;
using MarketFeed.Server.Security;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Security;

public class ApiTokenMiddlewareTests
{
    private const string Token = "s3cret-token-for-tests";

    [Fact]
    public async Task Binding_beyond_loopback_without_a_token_refuses_to_start_and_says_how_to_fix_it()
    {
        await using MarketFeedHost host = await MarketFeedHost.StartAsync();
        GatewayConfigurationException error = await Assert.ThrowsAsync<GatewayConfigurationException>(() =>
            Gateway.StartAsync(host, new ServerOptions { Urls = "http://0.0.0.0:0" }));
        Assert.Contains("MARKETFEED_Server__ApiToken", error.Message);
        Assert.True(BindingPolicy.IsLoopback("http://localhost:5080"));
        Assert.True(BindingPolicy.IsLoopback("http://[::1]:5080"));
        Assert.False(BindingPolicy.IsLoopback("http://*:5080"));
    }

    [Fact]
    public async Task With_a_token_api_streams_and_metrics_require_it_and_it_is_never_echoed()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(new ServerOptions { ApiToken = Token });
        HttpResponseMessage anonymous = await f.Http.GetAsync("/api/status");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Http.GetAsync("/api/status?access_token=wrong")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/")).StatusCode);

        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        HttpResponseMessage ok = await f.Http.SendAsync(authorized);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.DoesNotContain(Token, await ok.Content.ReadAsStringAsync());

        using var refused = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(f.WebSocketUri("/ws"), CancellationToken.None));
        using ClientWebSocket socket = await f.ConnectAsync("/ws?access_token=" + Token);
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task Cors_is_off_unless_origins_are_configured()
    {
        await using GatewayFixture closed = await GatewayFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Add("Origin", "http://example.test");
        Assert.False((await closed.Http.SendAsync(request)).Headers.Contains("Access-Control-Allow-Origin"));

        await using GatewayFixture open = await GatewayFixture.StartAsync(new ServerOptions { CorsOrigins = ["http://example.test"] });
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        allowed.Headers.Add("Origin", "http://example.test");
        Assert.Equal("http://example.test", (await open.Http.SendAsync(allowed)).Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
