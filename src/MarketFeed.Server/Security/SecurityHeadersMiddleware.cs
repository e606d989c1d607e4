using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Security;

/// <summary>
/// Browser hardening headers on every response: no MIME sniffing, no framing, no referrer (the dashboard's URL may
/// carry <c>?access_token=</c>), and a Content-Security-Policy that lets the dashboard load only its own files and
/// connect only back to this gateway (HTTP and WebSocket).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    // The hash admits the one <style> element lightweight-charts 5.0.9 inserts for its attribution logo; another
    // version's style shows up as a CSP violation in the dashboard browser tests.
    private const string ChartLogoStyle = "'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY='";

    public Task InvokeAsync(HttpContext context)
    {
        // On starting, so responses rewritten later (exception handler, status code pages) keep the headers too.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            IHeaderDictionary headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = ContentSecurityPolicy(http.Request.Host.ToUriComponent());
            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    /// <summary>
    /// 'self' in connect-src does not cover WebSocket in every browser, so ws:// and wss:// to this host are named. The
    /// Host header is the client's to choose: one that is not a plain host[:port] is left out rather than risk it
    /// adding to the policy.
    /// </summary>
    internal static string ContentSecurityPolicy(string host)
    {
        string sockets = host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')
            ? $" ws://{host} wss://{host}"
            : "";
        return $"default-src 'self'; script-src 'self'; style-src 'self' {ChartLogoStyle}; connect-src 'self'{sockets}; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
