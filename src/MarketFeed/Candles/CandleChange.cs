namespace MarketFeed.Candles;

/// <summary>
/// A closed bar of <see cref="Series"/> replaced (<see cref="Old"/> is what it was) or inserted (<see cref="Old"/> null);
/// <see cref="Seq"/> is the series' event number of the change.
/// </summary>
public readonly record struct CandleChange(CandleSeries Series, Candle? Old, Candle New, long Seq);
