namespace MarketFeed.History;

public enum CandleStoreState
{
    /// <summary>Not opened yet.</summary>
    Opening,

    /// <summary>Open, and the last write (or the opening) succeeded.</summary>
    Ok,

    /// <summary>The last attempt failed (corrupt, locked or unreachable store); candles wait in the buffer and it is tried again.</summary>
    Failed,

    /// <summary>The writer was shut down.</summary>
    Stopped,
}
