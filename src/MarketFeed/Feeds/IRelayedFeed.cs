namespace MarketFeed.Feeds;

/// <summary>
/// A feed whose ticks were received somewhere else and relayed here (another gateway, through a message bus): they
/// arrive later after their event time than a venue's do, so the hub waits longer before closing a bar of its
/// instruments by the clock — otherwise the bar's last ticks, still in transit, would be counted late and the bar
/// would differ from the one built where they were received.
/// </summary>
public interface IRelayedFeed
{
    /// <summary>How long after a bar's boundary the hub closes bars of this feed's instruments (when longer than <c>Candles:Grace</c>).</summary>
    TimeSpan RelayGrace { get; }
}
