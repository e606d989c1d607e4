namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>A REST call refused for its weight: 429 (back off for <see cref="RetryAfterSeconds"/>) or 418 (banned that long).</summary>
internal readonly record struct BinanceRejection(int Status, long RetryAfterSeconds, string Message);
