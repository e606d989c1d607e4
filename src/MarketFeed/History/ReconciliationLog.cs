using Microsoft.Extensions.Logging;

namespace MarketFeed.History;

internal static partial class ReconciliationLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Reconciliation of {Symbol} {Interval}: the venue's candles could not be fetched")]
    public static partial void RequestFailed(ILogger logger, string symbol, string interval, Exception error);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Reconciliation of {Symbol} {Interval}: the venue's bars could not be applied")]
    public static partial void ApplyFailed(ILogger logger, string symbol, string interval, Exception error);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "{Symbol} {Interval}: {Revised} bars revised and {Backfilled} backfilled from the venue's candles")]
    public static partial void Applied(ILogger logger, string symbol, string interval, int revised, int backfilled);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Feed {Feed} is back after an outage from {From:O} to {To:O}: backfilling {Series} series")]
    public static partial void Backfilling(ILogger logger, string feed, DateTime from, DateTime to, int series);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Error, Message = "Reconciliation stopped unexpectedly")]
    public static partial void LoopFailed(ILogger logger, Exception error);
}
