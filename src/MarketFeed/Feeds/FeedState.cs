namespace MarketFeed.Feeds;

/// <summary>Connection state of a feed. Serialized snake_case: connecting, connected, reconnecting, polling, auth_failed, …</summary>
public enum FeedState
{
    Starting,
    Connecting,
    Connected,
    Reconnecting,
    Polling,
    AuthFailed,
    Disconnected,
    Stopped,
}
