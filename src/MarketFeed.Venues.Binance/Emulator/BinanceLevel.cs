namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>One price level as raw fixed-point values (10^-8 units); quantity 0 in a diff removes the level.</summary>
internal readonly record struct BinanceLevel(long Price, long Quantity);
