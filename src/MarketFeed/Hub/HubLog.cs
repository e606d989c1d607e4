using Microsoft.Extensions.Logging;

namespace MarketFeed.Hub;

/// <summary>Source-generated log messages of the hub (no allocation when the level is off).</summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Hub partition {Partition} failed to process an event; the event was skipped")]
    public static partial void PipelineError(this ILogger logger, int partition, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "History for {Symbol} {Interval} could not be fetched; the series starts from live data")]
    public static partial void HistoryFailed(this ILogger logger, string symbol, string interval, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Count} candles could not be written to {Store}; they stay in memory")]
    public static partial void CandleWriteFailed(this ILogger logger, int count, string store, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Stored candles of {Symbol} {Interval} could not be read from {Store}; the series loads from the venue (other series failing the same way are not logged again)")]
    public static partial void StoreReadFailed(this ILogger logger, string symbol, string interval, string store, Exception exception);
}
