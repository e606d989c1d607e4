using MarketFeed.History;
using MarketFeed.Journal;
using MarketFeed.Quality;

namespace MarketFeed.Health;

/// <summary>The status document: feeds, subscribed instruments, the quality counters, the recording, the candle store and reconciliation (each null when none).</summary>
public sealed record MarketStatus(
    IReadOnlyList<FeedStatus> Feeds,
    IReadOnlyList<InstrumentStatus> Instruments,
    QualitySnapshot Quality,
    JournalRecorderStatus? Journal = null,
    CandleStoreStatus? Store = null,
    ReconciliationStatus? Reconciliation = null);
