namespace MarketFeed.Feeds;

/// <summary>A feed moved from one state to another, with the reason when there is one (never a secret).</summary>
public readonly record struct FeedStateChange(string Feed, FeedState From, FeedState To, string? Reason, DateTimeOffset At);
