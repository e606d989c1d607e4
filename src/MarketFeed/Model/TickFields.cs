namespace MarketFeed.Model;

/// <summary>
/// What one event updates. Venues that send whole quotes (Kite, the simulator) send <see cref="All"/>; venues with
/// separate trade and book streams send one kind per event, and the hub merges it into the instrument's latest state
/// instead of overwriting it: a trade does not erase the last bid/ask, a book update does not erase the last trade.
/// </summary>
[Flags]
public enum TickFields : byte
{
    None = 0,

    /// <summary>Last trade: <see cref="Tick.Ltp"/>, <see cref="Tick.Ltq"/> (and the trade id in <see cref="Tick.VenueSequence"/>).</summary>
    Trade = 1 << 0,

    /// <summary>Best bid and ask with their quantities.</summary>
    TopOfBook = 1 << 1,

    /// <summary>The five levels of <see cref="Tick.Depth"/>.</summary>
    Depth = 1 << 2,

    /// <summary>Open, high, low, previous close, day volume, average price.</summary>
    DayStats = 1 << 3,

    /// <summary>Open interest.</summary>
    OpenInterest = 1 << 4,

    /// <summary>Option Greeks and implied volatility (<see cref="Tick.Greeks"/>).</summary>
    Greeks = 1 << 5,

    All = Trade | TopOfBook | Depth | DayStats | OpenInterest | Greeks,
}
