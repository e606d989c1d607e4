using MarketFeed.Feeds;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// Coinbase Advanced Trade settings, bound from section <c>Coinbase</c> (<c>MARKETFEED_Coinbase__StreamUrl</c> …) and
/// read again before every connection attempt and REST call. Public market data needs no credentials.
/// </summary>
public sealed class CoinbaseOptions
{
    /// <summary>Market-data WebSocket URL. Default <c>wss://advanced-trade-ws.coinbase.com</c>.</summary>
    public string StreamUrl { get; set; } = "wss://advanced-trade-ws.coinbase.com";

    /// <summary>REST base URL (public market endpoints under <c>/api/v3/brokerage/market</c>). Default <c>https://api.coinbase.com</c>.</summary>
    public string RestUrl { get; set; } = "https://api.coinbase.com";

    /// <summary>A saved <c>/api/v3/brokerage/market/products</c> response. When absent it is downloaded from <see cref="RestUrl"/> and cached for the UTC day, keyed by REST URL.</summary>
    public string? InstrumentsFile { get; set; }

    /// <summary>Where the downloaded products list is cached. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>REST requests per second at most (Coinbase allows about 10 per IP on its public endpoints). Default 5.</summary>
    public double RestRequestsPerSecond { get; set; } = 5;

    /// <summary>How often the REST failover polls each wanted product's ticker while the stream is down (one request per product a round, within <see cref="RestRequestsPerSecond"/>). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Stream connections at most. Default 2.</summary>
    public int MaxConnections { get; set; } = 2;

    /// <summary>Products per connection at most. Default 200.</summary>
    public int ProductsPerConnection { get; set; } = 200;

    /// <summary>
    /// Subscribe and unsubscribe messages per second per connection. Coinbase allows 8 unauthenticated messages a
    /// second per IP, so this times <see cref="MaxConnections"/> should stay within 8. Default 4.
    /// </summary>
    public double ControlMessagesPerSecond { get; set; } = 4;

    /// <summary>Connection behaviour (section <c>Coinbase:Stream</c>). Its frame limit defaults to 16 MiB here: a level2 snapshot of a deep book runs to several MB.</summary>
    public FeedSessionOptions Stream { get; set; } = new() { MaxFrameBytes = 16 * 1024 * 1024 };

    /// <summary>Throws a <see cref="FeedConfigurationException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!(RestRequestsPerSecond > 0) || RestRequestsPerSecond > 10)
        {
            throw new FeedConfigurationException($"Coinbase:RestRequestsPerSecond must be above 0 and at most 10 (it is {RestRequestsPerSecond}); Coinbase limits public REST calls per IP");
        }

        if (!(ControlMessagesPerSecond > 0) || ControlMessagesPerSecond * MaxConnections > 8)
        {
            throw new FeedConfigurationException($"Coinbase:ControlMessagesPerSecond × MaxConnections must be above 0 and at most 8 (it is {ControlMessagesPerSecond * MaxConnections}); Coinbase allows 8 unauthenticated messages a second per IP");
        }

        if (PollInterval <= TimeSpan.Zero || MaxConnections < 1 || ProductsPerConnection < 1)
        {
            throw new FeedConfigurationException("Coinbase: PollInterval must be positive, MaxConnections and ProductsPerConnection at least 1");
        }

        Stream.Validate();
    }
}
