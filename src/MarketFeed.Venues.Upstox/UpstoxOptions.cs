using MarketFeed.Feeds;

namespace MarketFeed.Venues.Upstox;

/// <summary>
/// Configuration section <c>Upstox</c> (<c>MARKETFEED_Upstox__AccessToken</c> …). The access token comes from the
/// environment or a user file, is re-read before every authorize call and REST request, and is never logged or returned.
/// </summary>
public sealed class UpstoxOptions
{
    /// <summary>The daily OAuth access token (sent as <c>Authorization: Bearer</c>).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Default <c>https://api.upstox.com</c>: authorize, candles and quotes. Point it at <c>marketfeed emulate upstox</c> to test.</summary>
    public string RestUrl { get; set; } = "https://api.upstox.com";

    /// <summary>The instrument file (JSON, gzip). Default Upstox's <c>complete.json.gz</c>; downloaded once a day and cached.</summary>
    public string InstrumentsUrl { get; set; } = "https://assets.upstox.com/market-quote/instruments/exchange/complete.json.gz";

    /// <summary>A local instrument file (JSON, gzip or plain). When set, nothing is downloaded.</summary>
    public string? InstrumentsFile { get; set; }

    /// <summary>Where downloaded instrument files are cached. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>WebSocket connections the account may hold. Default 1 (the documented limit; Plus accounts get more). Read at start.</summary>
    public int Connections { get; set; } = 1;

    /// <summary>Subscribe <c>full</c> requests as <c>full_d30</c> (30 levels, Upstox Plus only, 50 instruments). Default false. Read at start.</summary>
    public bool Depth30 { get; set; }

    /// <summary>
    /// Requests per second through each REST gate (quotes, candles). Default 8: Upstox allows 50/s but only 500/min
    /// and 2000 per 30 min per API, and 8/s stays inside the minute limit when sustained.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 8;

    /// <summary>
    /// Connection behaviour (section <c>Upstox:Stream</c>). Upstox sends no application heartbeat (only WebSocket pings,
    /// which the socket answers itself) and can be silent for long outside market hours, so the idle timeout defaults
    /// to 5 minutes instead of the shared 10 s; each reconnect costs an authorize call.
    /// </summary>
    public FeedSessionOptions Stream { get; set; } = new() { IdleTimeout = TimeSpan.FromMinutes(5) };

    /// <summary>Throws a <see cref="FeedConfigurationException"/> when the token is missing.</summary>
    public string RequireToken() =>
        string.IsNullOrWhiteSpace(AccessToken)
            ? throw new FeedConfigurationException("Upstox:AccessToken is not set: set MARKETFEED_Upstox__AccessToken after logging in (it expires daily)")
            : AccessToken.Trim();
}
