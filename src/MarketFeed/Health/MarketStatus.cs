using MarketFeed.History;
using MarketFeed.Journal;
using MarketFeed.Quality;

namespace MarketFeed.Health;

/// <summary>The status document: feeds, subscribed instruments, the quality counters, the recording and reconciliation (each null when off).</summary>
public sealed record MarketStatus(
    IReadOnlyList<FeedStatus> Feeds,
    IReadOnlyList<InstrumentStatus> Instruments,
    QualitySnapshot Quality,
    JournalRecorderStatus? Journal = null,
    ReconciliationStatus? Reconciliation = null);
