using MarketFeed.Instruments;

namespace MarketFeed.Simulation;

/// <summary>
/// An instrument of the simulator's universe and the parameters of its price process. Volatility is annualized
/// (over the calendar's trading seconds, see <see cref="TradingClock"/>), so it does not depend on how often the
/// instrument ticks; futures and options take their price from the underlying and ignore it.
/// </summary>
internal sealed record SimulatedSpec(
    Instrument Definition,
    decimal BasePrice,
    double AnnualVolatility,
    SimulatedModel Model,
    string? UnderlyingSymbol,
    long MinTradeUnits,
    long MaxTradeUnits,
    int QuantityDecimals,
    bool SendsTrades,
    long BaseOpenInterest)
{
    /// <summary>Levels per side of the instrument's simulated order book; 0 for none.</summary>
    public int BookLevels { get; init; }

    /// <summary>Average traded quantity per minute of session, in the instrument's quantity units (history and live share it).</summary>
    public double VolumePerMinute { get; init; }

    /// <summary>At-the-money implied volatility of an option (annualized); the smile is built around it.</summary>
    public double ImpliedVolatility { get; init; }

    /// <summary>Usual bid/ask spread in ticks of an instrument without an order book (options widen with their price).</summary>
    public int SpreadTicks { get; init; } = 1;

    /// <summary>
    /// The day the universe was built for: <see cref="BasePrice"/> is the close of the trading day before it, and history
    /// is walked from there. Null: the day of the instrument's first tick.
    /// </summary>
    public DateOnly? AnchorDate { get; init; }
}
