using Microsoft.Extensions.Logging;

namespace MarketFeed.Venues.Coinbase;

internal static partial class CoinbaseLog
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Coinbase REST {Path}: HTTP 429; no REST call for {RetryAfter}")]
    public static partial void RestRateLimited(this ILogger logger, string path, TimeSpan retryAfter);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Feed {Feed}: Coinbase error: {Message}")]
    public static partial void VenueError(this ILogger logger, string feed, string message);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Feed {Feed}: {Books} books resubscribed to level2 for fresh snapshots")]
    public static partial void BooksResubscribed(this ILogger logger, string feed, int books);
}
