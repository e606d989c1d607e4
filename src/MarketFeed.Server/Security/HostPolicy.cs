using System.Net;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Server.Security;

/// <summary>
/// Which names the gateway answers to, against DNS rebinding: a page at <c>http://evil.example:5080</c> whose name
/// is switched to 127.0.0.1 is same-origin with itself, so neither CORS nor <see cref="OriginPolicy"/> stops it reading
/// the gateway; only its <c>Host</c> header gives it away. Loopback names (<c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>)
/// are always allowed, any port, as are the names in <see cref="ServerOptions.AllowedHosts"/>; <c>*</c> there turns the
/// check off. Without an API token the check is always on (such a gateway listens on loopback only and answers anyone
/// who reaches it); with a token a rebinding page cannot authenticate, so the check is on only once names are listed.
/// A request without a <c>Host</c> (HTTP/1.0) is not from a browser and passes.
/// </summary>
internal sealed class HostPolicy
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _suffixes = [];

    public HostPolicy(ServerOptions options)
    {
        bool any = false;
        foreach (string entry in options.AllowedHosts)
        {
            string name = Canonical(entry.Trim());
            if (name == "*")
            {
                any = true;
            }
            else if (name.StartsWith("*.", StringComparison.Ordinal) && Uri.CheckHostName(name[2..]) == UriHostNameType.Dns)
            {
                _suffixes.Add(name[1..]);
            }
            else if (!name.Contains('*', StringComparison.Ordinal) && Uri.CheckHostName(name) != UriHostNameType.Unknown)
            {
                _names.Add(name);
            }
            else
            {
                throw new GatewayConfigurationException(
                    $"Server:AllowedHosts entry '{entry}' is not a host name: give the name alone, without scheme or port, e.g. marketfeed.lan or *.marketfeed.lan");
            }
        }

        Enforced = !any && (_names.Count > 0 || _suffixes.Count > 0 || string.IsNullOrEmpty(options.ApiToken));
    }

    /// <summary>False when every host is allowed: <c>*</c> listed, or a token required and no names listed.</summary>
    public bool Enforced { get; }

    /// <summary>Whether a request with this <c>Host</c> may go on.</summary>
    public bool Allows(HostString host)
    {
        if (!Enforced || !host.HasValue)
        {
            return true;
        }

        string name = Canonical(host.Host);
        return name == "localhost"
            || (IPAddress.TryParse(name.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address))
            || _names.Contains(name)
            || _suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));
    }

    /// <summary>Null when <paramref name="request"/> may go on; else the 400 problem to answer with.</summary>
    public IResult? Refusal(HttpRequest request)
    {
        if (Allows(request.Host))
        {
            return null;
        }

        return TypedResults.Problem(
            detail: $"this gateway does not answer to host '{request.Host.Value}' (only to localhost, 127.0.0.1, [::1] and listed names, against DNS rebinding): "
                + $"if you reach it by that name on purpose, add '{Canonical(request.Host.Host)}' to Server:AllowedHosts (MARKETFEED_Server__AllowedHosts__0)",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Host not allowed");
    }

    /// <summary>
    /// A host name as compared: lower case, without the root's trailing dot (<c>localhost.</c> is <c>localhost</c>),
    /// IP literals in their canonical form (IPv6 in brackets).
    /// </summary>
    private static string Canonical(string host)
    {
        string name = host.ToLowerInvariant();
        if (name.EndsWith('.') && name.Length > 1)
        {
            name = name[..^1];
        }

        return Uri.CheckHostName(name) == UriHostNameType.IPv6 && IPAddress.TryParse(name.Trim('[', ']'), out IPAddress? address)
            ? $"[{address}]"
            : name;
    }
}
