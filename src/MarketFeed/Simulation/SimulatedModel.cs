namespace MarketFeed.Simulation;

/// <summary>How a simulated instrument's price moves.</summary>
internal enum SimulatedModel
{
    /// <summary>Its own random walk (indices, equities, crypto).</summary>
    RandomWalk,

    /// <summary>Underlying × (1 + carry to expiry).</summary>
    Future,

    /// <summary>Black–Scholes on the underlying's current price.</summary>
    Option,
}
