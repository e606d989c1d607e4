using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

internal static partial class FeedSessionLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Connection {Connection} of feed {Feed} is up with {Instruments} instruments")]
    public static partial void Connected(this ILogger logger, string feed, int connection, int instruments);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Connection {Connection} of feed {Feed} dropped: {Reason}; retrying in {Delay}")]
    public static partial void Dropped(this ILogger logger, string feed, int connection, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Feed {Feed} rejected the credentials: {Reason}; retrying in {Delay} with freshly read configuration")]
    public static partial void AuthFailed(this ILogger logger, string feed, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Feed {Feed} cannot hold {Wanted} instruments (capacity {Capacity}); {Dropped} are not subscribed")]
    public static partial void OverCapacity(this ILogger logger, string feed, int wanted, int capacity, int dropped);
}
