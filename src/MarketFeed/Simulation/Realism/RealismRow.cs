namespace MarketFeed.Simulation.Realism;

/// <summary>
/// One instrument's measured figures: annualized volatility over 1-second and 1-minute returns of the last price, the
/// mean bid/ask spread in ticks (NaN without a quote), ticks per second, the share of ticks the hub's admission would
/// flag as outliers, and the real-market values aimed for (volatility, spread in ticks).
/// </summary>
public sealed record RealismRow(
    string Symbol,
    string Kind,
    double Volatility1s,
    double Volatility1m,
    double SpreadTicks,
    double TicksPerSecond,
    double OutlierRate,
    string Reference,
    string SpreadReference);
