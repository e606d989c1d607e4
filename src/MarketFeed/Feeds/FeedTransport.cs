namespace MarketFeed.Feeds;

/// <summary>How a feed's data arrives. Serialized lower case: <c>stream</c>, <c>polling</c>.</summary>
public enum FeedTransport
{
    /// <summary>Over the venue's stream (WebSocket), the normal case.</summary>
    Stream,

    /// <summary>Over REST polling: because the stream is down (failover), or because the feed was set to poll (<c>Feeds:NAME:Mode = Polling</c>).</summary>
    Polling,
}
