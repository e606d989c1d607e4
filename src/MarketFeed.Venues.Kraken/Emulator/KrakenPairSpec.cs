namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// One pair of the emulator's exchange as AssetPairs lists it — REST name, v1 WebSocket name, the decimals of its
/// prices and lots — and its v2 symbol, plus the parameters of its simulated market (start price, daily volatility,
/// trade and resting sizes in lots).
/// </summary>
internal sealed record KrakenPairSpec(
    string RestPair,
    string AltName,
    string WsName,
    string BaseAsset,
    string QuoteAsset,
    int PriceDecimals,
    int LotDecimals,
    decimal TickSize,
    decimal Price,
    double DailyVolatility,
    long MinTradeLots,
    long MaxTradeLots,
    long MaxLevelLots)
{
    /// <summary>The v2 symbol, <c>BTC/USD</c> (v2 names XBT as BTC and XDG as DOGE).</summary>
    public string Symbol { get; } = KrakenAssetPairs.V2Asset(WsName.Split('/')[0]) + "/" + KrakenAssetPairs.V2Asset(WsName.Split('/')[1]);

    /// <summary>The tick in raw fixed point.</summary>
    public long Tick => MarketFeed.Model.Price.FromDecimal(TickSize).Raw;

    /// <summary>One lot (the smallest quantity step) in raw fixed point.</summary>
    public long Lot => MarketFeed.Model.FixedPoint.PowerOfTen(MarketFeed.Model.FixedPoint.Scale - LotDecimals);

    public double VolatilityPerSqrtSecond => DailyVolatility / Math.Sqrt(86_400);
}
