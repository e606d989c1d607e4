namespace MarketFeed.Venues.Finnhub;

/// <summary>Finnhub answered HTTP 403: the endpoint (or market) is not in the key's plan. Not retried.</summary>
internal sealed class FinnhubPlanException(string path, string detail)
    : HttpRequestException($"Finnhub REST {path}: HTTP 403, not in this key's plan{(detail.Length > 0 ? " (" + detail + ")" : "")}", null, System.Net.HttpStatusCode.Forbidden)
{
    public string Path { get; } = path;
}
