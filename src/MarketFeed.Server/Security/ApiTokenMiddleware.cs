using System.Security.Cryptography;
using System.Text;
using MarketFeed.Server.Api;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Security;

/// <summary>
/// When an API token is configured, every API, streaming, metrics and OpenAPI request must carry it
/// (<c>Authorization: Bearer TOKEN</c>, or <c>?access_token=TOKEN</c> where headers cannot be set, as in a browser
/// WebSocket). The dashboard's static files and <c>/healthz</c> stay open. The token is compared in constant time and
/// never echoed.
/// </summary>
internal sealed class ApiTokenMiddleware(RequestDelegate next, string token)
{
    private static readonly string[] s_protectedPrefixes = ["/api", "/ws", "/metrics", "/openapi", "/readyz"];
    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public async Task InvokeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        if (s_protectedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !Authorized(context.Request))
        {
            await TypedResults.Problem(
                detail: "this gateway requires its API token: send 'Authorization: Bearer TOKEN' or ?access_token=TOKEN",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private bool Authorized(HttpRequest request)
    {
        string? presented = null;
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        else if (request.Query.TryGetValue("access_token", out var query))
        {
            presented = query.ToString();
        }

        return presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);
    }
}
