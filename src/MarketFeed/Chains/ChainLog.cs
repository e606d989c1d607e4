using Microsoft.Extensions.Logging;

namespace MarketFeed.Chains;

internal static partial class ChainLog
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Chain {Root} {Expiry} opened: {Strikes} strikes listed, window ±{Each}, priced on {Basis}")]
    public static partial void Opened(ILogger logger, string root, string expiry, int strikes, int each, string basis);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Chain {Root} {Expiry} window follows the underlying: strikes {First} to {Last}")]
    public static partial void Recentred(ILogger logger, string root, string expiry, string first, string last);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Chain {Root} {Expiry} consumer failed")]
    public static partial void Failed(ILogger logger, string root, string expiry, Exception exception);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "Chain {Root} {Expiry} could not get the previous day's OI (asked again later; OI change is measured from this session's first OI meanwhile)")]
    public static partial void PreviousOiFailed(ILogger logger, string root, string expiry, Exception exception);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "Chain {Root} {Expiry}: the previous day's OI of {Known} of {Asked} options asked is known")]
    public static partial void PreviousOiKnown(ILogger logger, string root, string expiry, int known, int asked);
}
