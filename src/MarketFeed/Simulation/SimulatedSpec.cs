using MarketFeed.Instruments;

namespace MarketFeed.Simulation;

/// <summary>An instrument of the simulator's universe and the parameters of its price process.</summary>
internal sealed record SimulatedSpec(
    Instrument Definition,
    decimal BasePrice,
    double VolatilityPerTick,
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
}
