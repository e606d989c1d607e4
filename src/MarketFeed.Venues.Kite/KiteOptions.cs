using MarketFeed.Feeds;

namespace MarketFeed.Venues.Kite;

/// <summary>
/// Configuration section <c>Kite</c> (<c>MARKETFEED_Kite__ApiKey</c> …). Credentials come from the environment or a
/// user file, are re-read before every connection attempt, and are never logged or returned.
/// </summary>
public sealed class KiteOptions
{
    public string? ApiKey { get; set; }

    public string? AccessToken { get; set; }

    /// <summary>Default <c>wss://ws.kite.trade</c>; point it at <c>marketfeed emulate kite</c> to test.</summary>
    public string StreamUrl { get; set; } = "wss://ws.kite.trade";

    /// <summary>Default <c>https://api.kite.trade</c>.</summary>
    public string RestUrl { get; set; } = "https://api.kite.trade";

    /// <summary>A local instrument dump (CSV). When absent the dump is downloaded from <see cref="RestUrl"/> and cached for the day, keyed by REST URL and API key.</summary>
    public string? InstrumentsFile { get; set; }

    /// <summary>Where downloaded dumps are cached. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Quote endpoint rate limit (requests per second). Default 1, as Kite documents.</summary>
    public double QuoteRequestsPerSecond { get; set; } = 1;

    /// <summary>Historical candle endpoint rate limit. Default 3 per second.</summary>
    public double HistoricalRequestsPerSecond { get; set; } = 3;

    /// <summary>Connection behaviour (section <c>Kite:Stream</c>): idle timeout, backoff, failover delay.</summary>
    public FeedSessionOptions Stream { get; set; } = new();

    /// <summary>Throws a <see cref="FeedConfigurationException"/> naming the first missing credential.</summary>
    public (string ApiKey, string AccessToken) RequireCredentials()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new FeedConfigurationException("Kite:ApiKey is not set: set MARKETFEED_Kite__ApiKey (or Kite:ApiKey in a user appsettings.json)");
        }

        if (string.IsNullOrWhiteSpace(AccessToken))
        {
            throw new FeedConfigurationException("Kite:AccessToken is not set: set MARKETFEED_Kite__AccessToken after logging in (it expires daily)");
        }

        return (ApiKey.Trim(), AccessToken.Trim());
    }
}
