using MarketFeed.Quality;

namespace MarketFeed.Health;

/// <summary>The status document: feeds, subscribed instruments, and the quality counters.</summary>
public sealed record MarketStatus(
    IReadOnlyList<FeedStatus> Feeds,
    IReadOnlyList<InstrumentStatus> Instruments,
    QualitySnapshot Quality);
