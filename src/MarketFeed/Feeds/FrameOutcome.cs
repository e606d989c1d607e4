namespace MarketFeed.Feeds;

/// <summary>
/// The typed result of decoding one frame. Most are <see cref="Ok"/>; the others tell the feed session what the
/// venue said about the connection itself, so every venue's "disconnect code 805", "token expired" or
/// "serverShutdown" is handled by one piece of code.
/// </summary>
public readonly record struct FrameOutcome(FrameOutcomeKind Kind, int Code = 0, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static FrameOutcome Ok { get; } = new(FrameOutcomeKind.Ok);

    public static FrameOutcome Malformed { get; } = new(FrameOutcomeKind.Malformed);

    public static FrameOutcome VenueDisconnect(int code, string reason, TimeSpan? retryAfter = null) => new(FrameOutcomeKind.VenueDisconnect, code, reason, retryAfter);

    public static FrameOutcome AuthFailed(string reason, int code = 0) => new(FrameOutcomeKind.AuthFailed, code, reason);

    public static FrameOutcome RateLimited(TimeSpan retryAfter, string reason) => new(FrameOutcomeKind.RateLimited, 0, reason, retryAfter);

    public static FrameOutcome ServerShutdown(string reason) => new(FrameOutcomeKind.ServerShutdown, 0, reason);
}
