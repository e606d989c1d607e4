using System.Net;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance answered HTTP 418: this IP address is banned from its REST API until <see cref="Until"/> (bans follow
/// ignored 429s and last 2 minutes to 3 days). Thrown by every REST call until then, without calling Binance.
/// </summary>
internal sealed class BinanceBanException(DateTimeOffset until)
    : HttpRequestException(
        $"Binance has banned this IP address from its REST API (HTTP 418) until {until:u}; no REST call is made before then",
        null,
        (HttpStatusCode)418)
{
    public DateTimeOffset Until { get; } = until;
}
