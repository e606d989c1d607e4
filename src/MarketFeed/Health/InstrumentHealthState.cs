namespace MarketFeed.Health;

/// <summary>Per-instrument state. Serialized lower-case: initializing, live, stale, error, closed.</summary>
public enum InstrumentHealthState
{
    /// <summary>Subscribed, no update yet.</summary>
    Initializing,

    /// <summary>Updated within the staleness window.</summary>
    Live,

    /// <summary>No update for the staleness window while the session is open.</summary>
    Stale,

    /// <summary>Its feed has failed (auth failure, disconnected, stopped).</summary>
    Error,

    /// <summary>Its market is closed now.</summary>
    Closed,
}
