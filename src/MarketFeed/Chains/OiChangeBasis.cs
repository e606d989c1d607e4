namespace MarketFeed.Chains;

/// <summary>What an option's OI change is measured from (serialized lower-camel: <c>previousDay</c>, <c>session</c>).</summary>
public enum OiChangeBasis : byte
{
    /// <summary>No OI seen yet: no change.</summary>
    None,

    /// <summary>The open interest at the close of the previous trading day, as the feed reported it.</summary>
    PreviousDay,

    /// <summary>The first open interest the gateway saw this session: the feed could not say the previous day's (yet).</summary>
    Session,
}
