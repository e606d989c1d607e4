using MarketFeed.History;
using MarketFeed.Journal;
using MarketFeed.Quality;

namespace MarketFeed.Health;

/// <summary>The status document: feeds, subscribed instruments, the quality counters, the recording, the candle store, reconciliation and the message bus (each null when none).</summary>
public sealed record MarketStatus(
    IReadOnlyList<FeedStatus> Feeds,
    IReadOnlyList<InstrumentStatus> Instruments,
    QualitySnapshot Quality,
    JournalRecorderStatus? Journal = null,
    CandleStoreStatus? Store = null,
    BusStatus? Bus = null,
    ReconciliationStatus? Reconciliation = null);
