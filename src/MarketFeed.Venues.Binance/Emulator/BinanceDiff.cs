namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>The changed levels of one diff-depth event, covering update ids <see cref="FirstUpdateId"/> (U) to <see cref="LastUpdateId"/> (u).</summary>
internal sealed record BinanceDiff(long FirstUpdateId, long LastUpdateId, IReadOnlyList<BinanceLevel> Bids, IReadOnlyList<BinanceLevel> Asks);
