using MarketFeed.Server.Metrics;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Security;

/// <summary>
/// Refuses, before anything else reads it, a request whose <c>Host</c> is not a name the gateway answers to
/// (<see cref="HostPolicy"/>): the dashboard, the API, metrics, CORS preflights and stream upgrades alike.
/// </summary>
internal sealed class AllowedHostsMiddleware(RequestDelegate next, HostPolicy policy, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (policy.Refusal(context.Request) is { } refusal)
        {
            metrics.HostRejected();
            await refusal.ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
