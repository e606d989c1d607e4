using MarketFeed.Feeds;
using MarketFeed.Serialization;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Hosting;

internal static partial class FeedStateLog
{
    public static void Changed(ILogger logger, FeedStateChange change)
    {
        LogLevel level = change.To is FeedState.AuthFailed or FeedState.Disconnected ? LogLevel.Error
            : change.To is FeedState.Reconnecting or FeedState.Polling ? LogLevel.Warning
            : LogLevel.Information;
        StateChanged(logger, level, change.Feed, change.From.Snake(), change.To.Snake(), change.Reason ?? "-");
    }

    [LoggerMessage(EventId = 2101, Message = "Feed {Feed}: {From} → {To} ({Reason})")]
    private static partial void StateChanged(ILogger logger, LogLevel level, string feed, string from, string to, string reason);
}
