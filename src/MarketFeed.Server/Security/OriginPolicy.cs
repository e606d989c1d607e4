using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Security;

/// <summary>
/// Which web pages may open a stream. Browsers let any page open a WebSocket to localhost (upgrades are outside
/// CORS), so streams check the <c>Origin</c> header themselves: none (not a page: bots, curl, ClientWebSocket), the
/// gateway's own origin, or one listed in <see cref="ServerOptions.CorsOrigins"/> (<c>*</c> for any) is allowed.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly List<string> _configured = [];

    public OriginPolicy(IEnumerable<string> corsOrigins)
    {
        foreach (string origin in corsOrigins)
        {
            if (origin.Trim() == "*")
            {
                _configured.Add("*");
            }
            else if (Normalize(origin.Trim().TrimEnd('/')) is { } normalized)
            {
                _configured.Add(normalized);
            }
            else
            {
                throw new GatewayConfigurationException(
                    $"Server:CorsOrigins entry '{origin}' is not an origin: give scheme://host[:port], e.g. http://localhost:3000");
            }
        }
    }

    /// <summary>The configured origins in the form browsers send, so the CORS policy matches exactly what this one allows.</summary>
    public IReadOnlyList<string> Configured => _configured;

    /// <summary>Null when <paramref name="request"/> may go on; else the 403 problem to answer with.</summary>
    public IResult? Refusal(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || _configured.Contains("*"))
        {
            return null;
        }

        string? normalized = Normalize(origin);
        if (normalized is not null && (_configured.Contains(normalized) || normalized == Normalize(request.Scheme + "://" + request.Host.ToUriComponent())))
        {
            return null;
        }

        return TypedResults.Problem(
            detail: $"pages from origin '{origin}' may not open this gateway's streams: to allow them, list the origin in Server:CorsOrigins (MARKETFEED_Server__CorsOrigins__0)",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Origin not allowed");
    }

    /// <summary>An origin as browsers serialize it (lower case, no default port), or null if the text is not one.</summary>
    private static string? Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri)
        && uri.Host.Length > 0
        && uri.UserInfo.Length == 0
        && uri.AbsolutePath == "/"
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && !origin.EndsWith('/')
            ? $"{uri.Scheme}://{uri.Authority}".ToLowerInvariant()
            : null;
}
