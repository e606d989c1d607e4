using Microsoft.Extensions.Logging;

namespace MarketFeed.Venues.Finnhub;

internal static partial class FinnhubLog
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Finnhub REST {Path}: HTTP 429 (API limit reached); no REST call for {Pause}")]
    public static partial void RestRateLimited(this ILogger logger, string path, TimeSpan pause);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Feed {Feed}: Finnhub refused {Symbol}: {Reason}")]
    public static partial void SymbolRefused(this ILogger logger, string feed, string symbol, string reason);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Feed {Feed}: Finnhub error: {Reason}")]
    public static partial void VenueError(this ILogger logger, string feed, string reason);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Finnhub REST {Path}: HTTP 403, the key's plan has no candle history; candles start from live trades for the rest of this run")]
    public static partial void CandlesNotInPlan(this ILogger logger, string path);
}
