namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>One print as Finnhub streams it: symbol, price and volume (raw fixed point; volume 0 for a forex price update), time in Unix ms, condition codes (US stocks only).</summary>
internal readonly record struct FinnhubTrade(string Symbol, long Price, long Volume, long TimeMs, string[]? Conditions);
