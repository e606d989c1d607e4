namespace MarketFeed.Candles;

/// <summary>Candle settings. Every property has a documented default; the hub reads them once at start.</summary>
public sealed class CandleOptions
{
    /// <summary>Timeframes built for every wanted instrument. Default 1m, 5m, 15m. More can be added at run time per instrument.</summary>
    public IList<string> Intervals { get; init; } = ["1m", "5m", "15m"];

    /// <summary>Closed candles kept per (instrument, interval). Default 500.</summary>
    public int HistoryCapacity { get; init; } = 500;

    /// <summary>
    /// How long after a boundary the timer waits before closing the bar, so a tick stamped just before the boundary
    /// that arrives just after it still lands in its bar. Later ticks are counted as late, not merged. Default 250 ms.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Trading sessions of past every new series is filled with (from the candle store, then the venue's history),
    /// counted on the instrument's session calendar (weekends and holidays skipped; the running session is one).
    /// Default 2.
    /// </summary>
    public int HistoryDays { get; init; } = 2;

    /// <summary>
    /// Closed bars a new daily (or longer) series is filled with — two sessions would give it two bars — reaching back
    /// beyond <see cref="HistoryDays"/>; never more than <see cref="HistoryCapacity"/>. 0 turns bootstrap off for every
    /// series. Default 200.
    /// </summary>
    public int HistoryBars { get; init; } = 200;

    /// <summary>
    /// How long a request for candles of a series whose history is still loading waits for it (a first request for a
    /// new interval is not answered with an empty past). Zero answers at once. Default 5 s.
    /// </summary>
    public TimeSpan HistoryWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="EmptyIntervalPolicy.Skip"/>.</summary>
    public EmptyIntervalPolicy EmptyIntervals { get; init; } = EmptyIntervalPolicy.Skip;

    public IReadOnlyList<CandleInterval> ParsedIntervals() =>
        Intervals.Select(CandleInterval.Parse).Distinct().Order().ToList();
}
