namespace MarketFeed.Server.Streaming;

/// <summary>What <see cref="PendingTicks.Offer"/> did with a tick.</summary>
internal enum OfferOutcome
{
    /// <summary>Added, and it is the only one pending: the writer needs waking.</summary>
    First,

    /// <summary>Added behind others already pending.</summary>
    Added,

    /// <summary>Replaced the pending tick of the same instrument.</summary>
    Conflated,
}
