using Microsoft.Extensions.Logging;

namespace MarketFeed.Hosting;

internal static partial class SubscriptionLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "A subscription callback threw; counted, the subscription keeps running")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);
}
