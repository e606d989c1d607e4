using System.Net;
using MarketFeed.Server.Security;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Security;

public class SecurityHeadersMiddlewareTests
{
    [Fact]
    public async Task The_dashboard_the_api_and_problem_responses_all_carry_the_security_headers()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(new ServerOptions { ApiToken = "token-for-header-tests" });
        string host = f.Gateway.Address.Authority;
        (string Path, HttpStatusCode Status)[] responses =
        [
            ("/", HttpStatusCode.OK),
            ("/dashboard.js", HttpStatusCode.OK),
            ("/healthz", HttpStatusCode.OK),
            ("/api/status?access_token=token-for-header-tests", HttpStatusCode.OK),
            ("/api/instruments?access_token=token-for-header-tests", HttpStatusCode.BadRequest),
            ("/api/ticks/NSE%3ANOSUCH/latest?access_token=token-for-header-tests", HttpStatusCode.NotFound),
            ("/api/status", HttpStatusCode.Unauthorized),
            ("/no/such/page", HttpStatusCode.NotFound),
        ];

        foreach ((string path, HttpStatusCode status) in responses)
        {
            using HttpResponseMessage response = await f.Http.GetAsync(path);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            string policy = Header(response, "Content-Security-Policy");
            Assert.Contains("default-src 'self'", policy);
            Assert.Contains("script-src 'self';", policy);
            Assert.Contains($"connect-src 'self' ws://{host} wss://{host};", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("unsafe", policy);
        }
    }

    [Fact]
    public void A_host_header_that_is_not_a_plain_host_stays_out_of_the_policy()
    {
        Assert.Contains("connect-src 'self' ws://[::1]:5080 wss://[::1]:5080;", SecurityHeadersMiddleware.ContentSecurityPolicy("[::1]:5080"));
        string policy = SecurityHeadersMiddleware.ContentSecurityPolicy("x;script-src 'unsafe-inline'");
        Assert.Contains("connect-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : $"(no {name} header)";
}
