using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MarketFeed.Server.Api;

/// <summary>
/// Some symbols hold a slash (<c>KRAKEN:BTC/USD</c>), which a client puts in a path as <c>%2F</c>. Kestrel decodes
/// every other escape in a route value but keeps <c>%2F</c> encoded (a decoded slash would split the path), so an
/// endpoint would look up <c>KRAKEN:BTC%2FUSD</c> and answer "unknown symbol". This filter decodes it in the string
/// arguments that hold a symbol (<c>symbol</c>, <c>underlying</c>) of every endpoint in the group; endpoints mapped
/// outside a group (the one-symbol WebSockets) call <see cref="Decode"/>.
/// </summary>
internal static class EncodedSlashes
{
    private static readonly string[] SymbolParameters = ["symbol", "underlying"];

    public static RouteGroupBuilder DecodeSlashesInSymbols(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory((factory, next) =>
        {
            int[] symbols = [.. factory.MethodInfo.GetParameters()
                .Where(p => p.ParameterType == typeof(string) && SymbolParameters.Contains(p.Name, StringComparer.Ordinal))
                .Select(p => p.Position)];
            if (symbols.Length == 0)
            {
                return next;
            }

            return invocation =>
            {
                foreach (int i in symbols)
                {
                    if (invocation.Arguments[i] is string value)
                    {
                        invocation.Arguments[i] = Decode(value);
                    }
                }

                return next(invocation);
            };
        });
        return group;
    }

    /// <summary>The symbol with each <c>%2F</c> of its route value turned back into the slash it stands for.</summary>
    public static string Decode(string routeValue) =>
        routeValue.Contains("%2F", StringComparison.OrdinalIgnoreCase) ? routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : routeValue;
}
