using Microsoft.Extensions.Logging;

namespace MarketFeed.Venues.Binance;

internal static partial class BinanceLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Binance REST {Path}: HTTP 429 (request weight {UsedWeight} this minute); no REST call for {RetryAfter}, as Binance asks")]
    public static partial void RestRateLimited(this ILogger logger, string path, int usedWeight, TimeSpan retryAfter);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Binance REST {Path}: HTTP 418, this IP address is banned until {Until:u}; no REST call is made before then")]
    public static partial void RestBanned(this ILogger logger, string path, DateTimeOffset until);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Feed {Feed}: Binance refused control message {Id} (code {Code}): {Reason}")]
    public static partial void ControlRejected(this ILogger logger, string feed, long id, int code, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Binance REST: request weight {UsedWeight} of {Budget} used this minute; waiting {Wait} for the next minute")]
    public static partial void WeightBudgetReached(this ILogger logger, int usedWeight, int budget, TimeSpan wait);
}
