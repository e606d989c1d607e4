namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>What a <c>ticker</c> message says about a product (raw values): last price, 24-hour volume, high and low, and the top of book.</summary>
internal readonly record struct CoinbaseTickerState(long Price, long Volume, long High, long Low, long Bid, long BidSize, long Ask, long AskSize);
