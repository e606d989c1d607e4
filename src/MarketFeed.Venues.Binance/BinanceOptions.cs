using MarketFeed.Feeds;

namespace MarketFeed.Venues.Binance;

/// <summary>Binance Spot settings, bound from section <c>Binance</c>. Public market data needs no credentials.</summary>
public sealed class BinanceOptions
{
    /// <summary>Combined-stream base URL. Default <c>wss://stream.binance.com:9443</c>.</summary>
    public string StreamUrl { get; set; } = "wss://stream.binance.com:9443";

    /// <summary>REST base URL. Default <c>https://api.binance.com</c>.</summary>
    public string RestUrl { get; set; } = "https://api.binance.com";

    public FeedSessionOptions Stream { get; set; } = new();
}
