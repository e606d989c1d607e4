using MarketFeed.Feeds;

namespace MarketFeed.Venues.Finnhub;

/// <summary>
/// Finnhub settings, bound from section <c>Finnhub</c> (<c>MARKETFEED_Finnhub__Token</c> …) and read again before every
/// connection attempt and REST call. The API token comes from configuration only (environment, user secrets, a settings
/// file) and is never logged, shown in an error or returned by the API.
/// </summary>
public sealed class FinnhubOptions
{
    /// <summary>The API key. Sent as <c>?token=</c> on the socket (Finnhub's only way) and as the <c>X-Finnhub-Token</c> header on REST.</summary>
    public string? Token { get; set; }

    /// <summary>WebSocket URL. Default <c>wss://ws.finnhub.io</c>.</summary>
    public string StreamUrl { get; set; } = "wss://ws.finnhub.io";

    /// <summary>REST base URL. Default <c>https://finnhub.io/api/v1</c>.</summary>
    public string RestUrl { get; set; } = "https://finnhub.io/api/v1";

    /// <summary>Stock exchanges whose symbols are listed (<c>/stock/symbol?exchange=</c>), comma-separated. Default <c>US</c>; empty for none.</summary>
    public string StockExchanges { get; set; } = "US";

    /// <summary>Crypto exchanges whose symbols are listed (<c>/crypto/symbol?exchange=</c>), comma-separated. Default <c>binance</c>; empty for none.</summary>
    public string CryptoExchanges { get; set; } = "binance";

    /// <summary>Forex brokers whose symbols are listed (<c>/forex/symbol?exchange=</c>), comma-separated. Default <c>oanda</c>; empty for none.</summary>
    public string ForexExchanges { get; set; } = "oanda";

    /// <summary>Where the symbol lists are cached for the UTC day. Default: a marketfeed folder in the temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Symbols one connection may carry: Finnhub's cap for the key's plan (50 on the free plan). Default 50.</summary>
    public int MaxSymbols { get; set; } = 50;

    /// <summary>REST calls per minute at most, every endpoint together (60 on the free plan; Finnhub also caps every plan at 30 a second). Default 60.</summary>
    public int CallsPerMinute { get; set; } = 60;

    /// <summary>How often a REST polling round runs while the stream is down; each round asks <c>/quote</c> for as many instruments as the call budget allows, in turn. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Seed candle charts from Finnhub's candle endpoints (premium on today's plans; a free key gets HTTP 403). Default
    /// false: candles start from live trades. A 403 turns it off for the rest of the run.
    /// </summary>
    public bool HistoricalCandles { get; set; }

    /// <summary>Connection behaviour (section <c>Finnhub:Stream</c>). The idle timeout defaults to 150 s: Finnhub pings about once a minute.</summary>
    public FeedSessionOptions Stream { get; set; } = new() { IdleTimeout = TimeSpan.FromSeconds(150) };

    /// <summary>Throws a <see cref="FeedConfigurationException"/> naming the first setting out of range (never the token's value).</summary>
    public void Validate()
    {
        if (MaxSymbols is < 1 or > 10_000)
        {
            throw new FeedConfigurationException($"Finnhub:MaxSymbols must be 1–10000 (it is {MaxSymbols})");
        }

        if (CallsPerMinute is < 1 or > 1800)
        {
            throw new FeedConfigurationException($"Finnhub:CallsPerMinute must be 1–1800 (it is {CallsPerMinute}); Finnhub allows at most 30 calls a second on any plan");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new FeedConfigurationException("Finnhub:PollInterval must be positive");
        }

        Stream.Validate();
    }

    /// <summary>The token, or a configuration error saying where to set it.</summary>
    public string RequireToken() =>
        string.IsNullOrWhiteSpace(Token)
            ? throw new FeedConfigurationException("Finnhub:Token is not set: set MARKETFEED_Finnhub__Token (or Finnhub:Token in a settings file) to your Finnhub API key")
            : Token.Trim();

    /// <summary>A comma-separated setting as a list, blanks dropped.</summary>
    internal static string[] List(string? value) => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
