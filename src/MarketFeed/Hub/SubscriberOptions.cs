using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>How one consumer wants its data. Defaults suit a strategy that wants every tick.</summary>
public sealed class SubscriberOptions
{
    /// <summary>Mode asked of the venue for this consumer's instruments. Default <see cref="FeedMode.Quote"/>.</summary>
    public FeedMode Mode { get; init; } = FeedMode.Quote;

    /// <summary>Default <see cref="TickQueuePolicy.DropOldest"/>.</summary>
    public TickQueuePolicy TickPolicy { get; init; } = TickQueuePolicy.DropOldest;

    /// <summary>Ticks held for a slow reader under <see cref="TickQueuePolicy.DropOldest"/>. Default 65,536.</summary>
    public int TickCapacity { get; init; } = 65_536;

    /// <summary>Whether to receive ticks at all (a candle-only consumer sets false). Default true.</summary>
    public bool Ticks { get; init; } = true;

    /// <summary>Candle intervals to receive events for. Default none.</summary>
    public IReadOnlyList<CandleInterval> CandleIntervals { get; init; } = [];

    /// <summary>
    /// Receive forming-candle updates (conflated: at most one pending per instrument and interval) besides closes.
    /// Candle closes are never dropped. Default true.
    /// </summary>
    public bool CandleUpdates { get; init; } = true;

    /// <summary>
    /// Receive the order books of this consumer's instruments (where the venue has them): a <see cref="Books.BookView"/>
    /// after each change, conflated to the latest per instrument for a slow reader. Default false.
    /// </summary>
    public bool Books { get; init; }
}
