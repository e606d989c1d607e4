using MarketFeed.Feeds;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// Configuration section <c>Dhan</c> (<c>MARKETFEED_Dhan__ClientId</c>, <c>MARKETFEED_Dhan__AccessToken</c> …).
/// Credentials come from the environment or a user file, are re-read before every connection attempt and REST call,
/// and are never logged or returned.
/// </summary>
public sealed class DhanOptions
{
    public string? ClientId { get; set; }

    public string? AccessToken { get; set; }

    /// <summary>Main feed. Default <c>wss://api-feed.dhan.co</c>; point it at <c>marketfeed emulate dhan</c> to test.</summary>
    public string StreamUrl { get; set; } = "wss://api-feed.dhan.co";

    /// <summary>20-level depth feed. Default <c>wss://depth-api-feed.dhan.co/twentydepth</c>.</summary>
    public string DepthUrl { get; set; } = "wss://depth-api-feed.dhan.co/twentydepth";

    /// <summary>Default <c>https://api.dhan.co/v2</c>.</summary>
    public string RestUrl { get; set; } = "https://api.dhan.co/v2";

    /// <summary>The scrip master CSV (no credentials needed). Default Dhan's compact file.</summary>
    public string ScripMasterUrl { get; set; } = "https://images.dhan.co/api-data/api-scrip-master.csv";

    /// <summary>A local scrip master (compact CSV). When absent it is downloaded from <see cref="ScripMasterUrl"/> and cached for the day.</summary>
    public string? InstrumentsFile { get; set; }

    /// <summary>Where downloaded scrip masters are cached. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Market quote endpoints (failover polling): requests per second. Default 1, as Dhan documents.</summary>
    public double QuoteRequestsPerSecond { get; set; } = 1;

    /// <summary>Chart endpoints (candle history): requests per second. Default 5, Dhan's data API limit.</summary>
    public double DataRequestsPerSecond { get; set; } = 5;

    /// <summary>Whether full-mode NSE_EQ / NSE_FNO instruments also get the 20-level depth feed and an order book. Default true.</summary>
    public bool Depth { get; set; } = true;

    /// <summary>
    /// After Dhan's disconnect code 805 (too many connections or requests: a sixth socket drops the oldest) no new
    /// connection is opened for this long, so two clients of one account do not keep kicking each other. Default 60 s.
    /// </summary>
    public TimeSpan TooManyConnectionsBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The security a quiet connection subscribes in ticker mode to get a frame back (Dhan sends nothing on a quiet
    /// socket but WebSocket pings, which are not seen above the socket). <c>SEGMENT:ID</c>; default <c>IDX_I:13</c> (NIFTY 50).
    /// </summary>
    public string ProbeSecurity { get; set; } = "IDX_I:13";

    /// <summary>Main feed connections (section <c>Dhan:Stream</c>). Dhan is silent between changes, so the idle timeout defaults to 60 s.</summary>
    public FeedSessionOptions Stream { get; set; } = new() { IdleTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>Depth feed connections (section <c>Dhan:DepthStream</c>).</summary>
    public FeedSessionOptions DepthStream { get; set; } = new() { IdleTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>Throws a <see cref="FeedConfigurationException"/> naming the first missing credential.</summary>
    public (string ClientId, string AccessToken) RequireCredentials()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new FeedConfigurationException("Dhan:ClientId is not set: set MARKETFEED_Dhan__ClientId (or Dhan:ClientId in a user appsettings.json)");
        }

        if (string.IsNullOrWhiteSpace(AccessToken))
        {
            throw new FeedConfigurationException("Dhan:AccessToken is not set: set MARKETFEED_Dhan__AccessToken (generate one on web.dhan.co; it expires)");
        }

        return (ClientId.Trim(), AccessToken.Trim());
    }

    /// <summary>The probe as (segment byte, security id); throws naming the setting when it cannot be read.</summary>
    public (byte Segment, int SecurityId) Probe()
    {
        string[] parts = ProbeSecurity.Split(':', 2);
        if (parts.Length != 2 || !DhanSegment.TryParse(parts[0].Trim(), out byte segment) || !int.TryParse(parts[1], out int id))
        {
            throw new FeedConfigurationException($"Dhan:ProbeSecurity '{ProbeSecurity}' is not SEGMENT:ID (e.g. IDX_I:13)");
        }

        return (segment, id);
    }
}
