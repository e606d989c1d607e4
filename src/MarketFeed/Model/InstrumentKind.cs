namespace MarketFeed.Model;

/// <summary>What an instrument is. Serialized lower-case: equity, index, future, call, put, spot.</summary>
public enum InstrumentKind
{
    Equity,
    Index,
    Future,
    Call,
    Put,
    Spot,
}
