namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>One trade on the emulator's exchange (raw price and size); <paramref name="Side"/> is the taker's, BUY or SELL.</summary>
internal readonly record struct CoinbaseTrade(long Id, long Price, long Size, string Side, DateTime Time);
