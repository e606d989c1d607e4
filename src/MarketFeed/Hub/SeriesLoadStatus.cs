using MarketFeed.Candles;

namespace MarketFeed.Hub;

/// <summary>
/// How one series was bootstrapped: its state, when its last load finished, how many bars came from the store and from
/// the venue (of those, how many filled the hole since the last stored bar: backfilled), the venue history requests it
/// took, and the bars of the venue's answers skipped by normalization. <see cref="Error"/> says why a load failed.
/// </summary>
public sealed record SeriesLoadStatus(
    CandleInterval Interval,
    SeriesLoadState State,
    DateTime? LoadedAt,
    int FromStore,
    int FromVenue,
    int Backfilled,
    int VenueRequests,
    int Skipped,
    string? Error);
