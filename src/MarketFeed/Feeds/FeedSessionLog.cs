using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

internal static partial class FeedSessionLog
{
    // Debug: users see the feed's own state change (→ connected); this per-connection line is for diagnosis.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Connection {Connection} of feed {Feed} is up (data flowing) with {Instruments} instruments")]
    public static partial void Connected(this ILogger logger, string feed, int connection, int instruments);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Connection {Connection} of feed {Feed} dropped: {Reason}; retrying in {Delay}")]
    public static partial void Dropped(this ILogger logger, string feed, int connection, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Feed {Feed} rejected the credentials: {Reason}; retrying in {Delay} with freshly read configuration")]
    public static partial void AuthFailed(this ILogger logger, string feed, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Feed {Feed} cannot hold {Wanted} instruments (capacity {Capacity}); {Dropped} are not subscribed")]
    public static partial void OverCapacity(this ILogger logger, string feed, int wanted, int capacity, int dropped);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Connection {Connection} of feed {Feed}: attempt failed: {Reason}; retrying in {Delay}")]
    public static partial void AttemptFailed(this ILogger logger, string feed, int connection, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Feed {Feed}: {Kind}: {Detail} (logged once; see the feed's counters in status and /metrics)")]
    public static partial void FrameProblem(this ILogger logger, string feed, string kind, string detail, Exception? exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Feed {Feed}: configuration changed, retrying with the new credentials now")]
    public static partial void CredentialsChanged(this ILogger logger, string feed);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Feed {Feed}: the stream is down and REST polling fails too: {Reason}")]
    public static partial void PollingFailed(this ILogger logger, string feed, string reason);


    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Connection {Connection} of feed {Feed}: opening its replacement before it closes ({Reason})")]
    public static partial void HandoverStarted(this ILogger logger, string feed, int connection, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Connection {Connection} of feed {Feed} handed over to its replacement ({Reason})")]
    public static partial void HandedOver(this ILogger logger, string feed, int connection, string reason);
}
