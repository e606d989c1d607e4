using MarketFeed.Feeds;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken Spot settings, bound from section <c>Kraken</c> (<c>MARKETFEED_Kraken__StreamUrl</c> …) and read again
/// before every connection attempt and REST call. Public market data needs no credentials.
/// </summary>
public sealed class KrakenOptions
{
    /// <summary>The public WebSocket v2 endpoint. Default <c>wss://ws.kraken.com/v2</c>.</summary>
    public string StreamUrl { get; set; } = "wss://ws.kraken.com/v2";

    /// <summary>REST base URL (<c>/0/public/…</c> is appended). Default <c>https://api.kraken.com</c>.</summary>
    public string RestUrl { get; set; } = "https://api.kraken.com";

    /// <summary>A saved <c>/0/public/AssetPairs</c> response. When absent it is downloaded from <see cref="RestUrl"/> and cached for the UTC day, keyed by REST URL.</summary>
    public string? InstrumentsFile { get; set; }

    /// <summary>Where downloaded pairs are cached. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Levels per side of each book subscription: 10, 25, 100, 500 or 1000. Default 10 (the checksum covers the top 10 whatever the depth).</summary>
    public int BookDepth { get; set; } = 10;

    /// <summary>
    /// Public REST calls per second at most (Kraken does not publish its public rate; about one a second is what it
    /// tolerates). Shared by instrument downloads, OHLC history and failover polling. Default 1.
    /// </summary>
    public double RestRequestsPerSecond { get; set; } = 1;

    /// <summary>How often the REST failover polls <c>/0/public/Ticker</c> while the stream is down (one call per 50 pairs a round). Default 2 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Subscribe and unsubscribe messages per second per connection (Kraken's message rate is dynamic and unpublished; it answers "Exceeded msg rate"). Default 5.</summary>
    public double ControlMessagesPerSecond { get; set; } = 5;

    /// <summary>Instruments per connection. Default 200.</summary>
    public int InstrumentsPerConnection { get; set; } = 200;

    /// <summary>Connections at most. Default 3.</summary>
    public int MaxConnections { get; set; } = 3;

    /// <summary>Connection behaviour (section <c>Kraken:Stream</c>): idle timeout, backoff, failover delay.</summary>
    public FeedSessionOptions Stream { get; set; } = new();

    /// <summary>Throws a <see cref="FeedConfigurationException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (BookDepth is not (10 or 25 or 100 or 500 or 1000))
        {
            throw new FeedConfigurationException($"Kraken:BookDepth must be 10, 25, 100, 500 or 1000 (it is {BookDepth})");
        }

        if (!(RestRequestsPerSecond > 0) || RestRequestsPerSecond > 20 || PollInterval <= TimeSpan.Zero)
        {
            throw new FeedConfigurationException("Kraken: RestRequestsPerSecond must be above 0 and at most 20, PollInterval positive");
        }

        if (!(ControlMessagesPerSecond > 0) || InstrumentsPerConnection < 1 || MaxConnections < 1)
        {
            throw new FeedConfigurationException("Kraken: ControlMessagesPerSecond must be positive, InstrumentsPerConnection and MaxConnections at least 1");
        }

        Stream.Validate();
    }
}
