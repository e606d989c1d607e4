using Microsoft.Extensions.Logging;

namespace MarketFeed.Venues.Upstox;

internal static partial class UpstoxLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Feed {Feed}: Upstox reports segment {Segment} {Status} ({Wire})")]
    public static partial void SegmentStatus(this ILogger logger, string feed, string segment, string status, UpstoxSegmentStatus wire);
}
