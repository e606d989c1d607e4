using Microsoft.Extensions.Logging;

namespace MarketFeed.Venues.Kraken;

internal static partial class KrakenLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Feed {Feed}: Kraken refused {Method} {Channel} {Symbol} (req_id {RequestId}): {Reason}")]
    public static partial void RequestRejected(this ILogger logger, string feed, string method, string channel, string symbol, long requestId, string reason);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Feed {Feed}: the book of {Symbol} failed Kraken's checksum; resubscribing its book channel for a fresh snapshot")]
    public static partial void BookResubscribe(this ILogger logger, string feed, string symbol);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Feed {Feed}: Kraken's trading engine is {System}")]
    public static partial void SystemStatus(this ILogger logger, string feed, string system);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Kraken REST {Path}: rate limited ({Reason}); no REST call for {Pause}")]
    public static partial void RestRateLimited(this ILogger logger, string path, string reason, TimeSpan pause);
}
