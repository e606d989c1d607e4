using MarketFeed.Feeds;
using MarketFeed.Serialization;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Hosting;

/// <summary>
/// One log line per feed state change, without secrets (the reason is the feed's sanitized text). Failures are errors,
/// reconnecting and polling warnings, recoveries information; the routine start-up and shutdown steps (starting →
/// connecting → connected, → stopped) are debug, so a healthy start says nothing.
/// </summary>
internal static partial class FeedStateLog
{
    public static void Changed(ILogger logger, FeedStateChange change)
    {
        LogLevel level = change.To is FeedState.AuthFailed or FeedState.Disconnected ? LogLevel.Error
            // Polling straight from connecting is a feed set to poll (failover comes only after the stream dropped): as asked, no warning.
            : (change.From, change.To) is (FeedState.Connecting, FeedState.Polling) ? LogLevel.Information
            : change.To is FeedState.Reconnecting or FeedState.Polling ? LogLevel.Warning
            : change.To is FeedState.Stopped || change.From is FeedState.Starting || (change.From, change.To) is (FeedState.Connecting, FeedState.Connected) ? LogLevel.Debug
            : LogLevel.Information;
        if (change.Reason is { } reason)
        {
            StateChangedBecause(logger, level, change.Feed, change.From.Snake(), change.To.Snake(), reason);
        }
        else
        {
            StateChanged(logger, level, change.Feed, change.From.Snake(), change.To.Snake());
        }
    }

    [LoggerMessage(EventId = 2101, Message = "Feed {Feed}: {From} → {To} ({Reason})")]
    private static partial void StateChangedBecause(ILogger logger, LogLevel level, string feed, string from, string to, string reason);

    [LoggerMessage(EventId = 2102, Message = "Feed {Feed}: {From} → {To}")]
    private static partial void StateChanged(ILogger logger, LogLevel level, string feed, string from, string to);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Feed {Feed}: {Count} of its symbols are already another feed's (the feed listed first owns a symbol): they cannot be subscribed by symbol")]
    public static partial void SymbolsTaken(ILogger logger, string feed, int count);
}
