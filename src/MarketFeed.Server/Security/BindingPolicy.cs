using System.Net;

namespace MarketFeed.Server.Security;

/// <summary>Loopback needs nothing; any other address exposes the gateway and so requires an API token.</summary>
internal static class BindingPolicy
{
    public static void Validate(ServerOptions options)
    {
        foreach (string url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IsLoopback(url) && string.IsNullOrEmpty(options.ApiToken))
            {
                throw new GatewayConfigurationException(
                    $"binding {url} exposes the gateway beyond this machine: set an API token (MARKETFEED_Server__ApiToken) or bind http://127.0.0.1");
            }
        }
    }

    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri))
        {
            throw new GatewayConfigurationException($"'{url}' is not a URL: use e.g. http://127.0.0.1:5080");
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}
