namespace MarketFeed.Hub;

/// <summary>What a subscriber's tick queue does when the subscriber reads slower than ticks arrive.</summary>
public enum TickQueuePolicy
{
    /// <summary>Keep every tick up to the capacity; past it, drop the oldest and count it.</summary>
    DropOldest,

    /// <summary>Keep only the latest tick per instrument (counted as conflated): never more than one pending per instrument.</summary>
    ConflateLatest,
}
