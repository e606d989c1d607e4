namespace MarketFeed.Venues.Kraken;

/// <summary>Kraken answered a REST call with its <c>error</c> list filled (it does so with HTTP 200).</summary>
public sealed class KrakenRestException(string path, string errors)
    : Exception($"Kraken REST {path}: {errors}")
{
    public string Errors { get; } = errors;

    /// <summary><c>EAPI:Rate limit exceeded</c>, <c>EGeneral:Too many requests</c> and the like.</summary>
    public bool IsRateLimit => Errors.Contains("rate limit", StringComparison.OrdinalIgnoreCase) || Errors.Contains("too many requests", StringComparison.OrdinalIgnoreCase);
}
