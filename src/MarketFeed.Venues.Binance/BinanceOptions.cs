using MarketFeed.Feeds;

namespace MarketFeed.Venues.Binance;

/// <summary>
/// Binance Spot settings, bound from section <c>Binance</c> (<c>MARKETFEED_Binance__StreamUrl</c> …) and read again
/// before every connection attempt and REST call. Public market data needs no credentials.
/// </summary>
public sealed class BinanceOptions
{
    /// <summary>Combined-stream base URL; <c>/stream</c> is appended. Default <c>wss://stream.binance.com:9443</c>.</summary>
    public string StreamUrl { get; set; } = "wss://stream.binance.com:9443";

    /// <summary>REST base URL. Default <c>https://api.binance.com</c> (market data only: <c>https://data-api.binance.vision</c>).</summary>
    public string RestUrl { get; set; } = "https://api.binance.com";

    /// <summary>A saved <c>/api/v3/exchangeInfo</c> response. When absent it is downloaded from <see cref="RestUrl"/> and cached for the UTC day, keyed by REST URL.</summary>
    public string? InstrumentsFile { get; set; }

    /// <summary>Where downloaded exchange information is cached. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// REST request weight this gateway may use per minute (Binance allows 6000 per IP, shared with anything else on
    /// that IP). Default 3000.
    /// </summary>
    public int RequestWeightPerMinute { get; set; } = 3000;

    /// <summary>REST requests per second at most, whatever their weight (spreads bursts). Default 10.</summary>
    public double RestRequestsPerSecond { get; set; } = 10;

    /// <summary>Levels per side of a book snapshot (<c>/api/v3/depth</c> limit, 1–5000; weight 5 up to 100, 25 up to 500, 50 up to 1000, 250 beyond). Default 500.</summary>
    public int DepthSnapshotLimit { get; set; } = 500;

    /// <summary>How often the REST failover polls quotes while the stream is down (weight 8 per 100 instruments a round). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Stream connections at most (each carries up to 1024 streams). Default 5.</summary>
    public int MaxConnections { get; set; } = 5;

    /// <summary>Connection behaviour (section <c>Binance:Stream</c>): idle timeout, backoff, failover delay.</summary>
    public FeedSessionOptions Stream { get; set; } = new();

    /// <summary>Throws a <see cref="FeedConfigurationException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (RequestWeightPerMinute is < 10 or > 6000)
        {
            throw new FeedConfigurationException($"Binance:RequestWeightPerMinute must be 10–6000 (it is {RequestWeightPerMinute}); Binance bans IPs that exceed 6000");
        }

        if (DepthSnapshotLimit is < 1 or > 5000)
        {
            throw new FeedConfigurationException($"Binance:DepthSnapshotLimit must be 1–5000 (it is {DepthSnapshotLimit})");
        }

        if (!(RestRequestsPerSecond > 0) || PollInterval <= TimeSpan.Zero || MaxConnections < 1)
        {
            throw new FeedConfigurationException("Binance: RestRequestsPerSecond and PollInterval must be positive, MaxConnections at least 1");
        }

        Stream.Validate();
    }
}
