namespace MarketFeed.Hub;

internal enum EnqueueOutcome
{
    Added,
    Conflated,
    DroppedOldest,
}
