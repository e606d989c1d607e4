using MarketFeed.Feeds;

namespace MarketFeed.Health;

/// <summary>One feed's line of the status.</summary>
public sealed record FeedStatus(
    string Feed,
    FeedState State,
    int Connections,
    long Reconnects,
    string? LastError,
    double MessagesPerSecond);
