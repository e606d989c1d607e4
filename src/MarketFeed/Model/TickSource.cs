namespace MarketFeed.Model;

/// <summary>Where a tick came from. Serialized lower-case.</summary>
public enum TickSource : byte
{
    Stream,
    Poll,
    Replay,
    History,
}
