namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>One trade the emulator made: raw fixed-point price and quantity, and whether the buyer was the maker (the taker sold).</summary>
internal readonly record struct BinanceTrade(long Id, long Price, long Quantity, DateTime Time, bool BuyerMaker);
