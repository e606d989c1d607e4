namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>One trade of the emulator's market (raw fixed point); <see cref="Buy"/> is the taker's side.</summary>
internal readonly record struct KrakenTrade(long Id, long Price, long Quantity, bool Buy, DateTime Time);
