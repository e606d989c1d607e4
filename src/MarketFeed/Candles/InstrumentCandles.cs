using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Candles;

/// <summary>
/// Every timeframe of one instrument. Lateness is decided here once, against the latest boundary any timeframe has
/// closed, so a tick is merged into all timeframes or none and higher timeframes stay consistent with lower ones.
/// </summary>
public sealed class InstrumentCandles
{
    private readonly Instrument _instrument;
    private readonly CandleOptions _options;
    private readonly TimeSpan _grace;
    private readonly CandleVolumeTracker _volume;
    private CandleSeries[] _series = [];

    /// <summary>
    /// <paramref name="createdUtc"/>: when the instrument started being watched; live bars that began earlier are partial
    /// (default: none). <paramref name="grace"/>: how long after a boundary the clock closes a bar (default
    /// <see cref="CandleOptions.Grace"/>).
    /// </summary>
    public InstrumentCandles(Instrument instrument, CandleOptions options, IEnumerable<CandleInterval> intervals, DateTime createdUtc = default, TimeSpan? grace = null)
    {
        _instrument = instrument;
        _options = options;
        _grace = grace ?? options.Grace;
        _volume = new CandleVolumeTracker(instrument.Calendar);
        foreach (CandleInterval interval in intervals)
        {
            Add(interval, createdUtc);
        }
    }

    public long LateTicks { get; private set; }

    public long VolumeResets => _volume.Resets;

    public IReadOnlyList<CandleSeries> Series => _series;

    public DateTime ClosedThrough { get; private set; }

    public CandleSeries GetOrAdd(CandleInterval interval) => Find(interval) ?? Add(interval, default);

    /// <summary>
    /// The series of <paramref name="interval"/>; a new one sees ticks from <paramref name="nowUtc"/> on, and its forming
    /// bar starts as the aggregate of a finer series that has been running (so it is whole when that one is).
    /// </summary>
    public CandleSeries GetOrAdd(CandleInterval interval, DateTime nowUtc, ICandleSink sink, out bool created)
    {
        created = false;
        if (Find(interval) is { } existing)
        {
            return existing;
        }

        created = true;
        CandleSeries series = Add(interval, nowUtc);
        if (FinerSourceOf(series) is { } finer)
        {
            series.RebuildFrom(finer, sink);
        }

        return series;
    }

    private CandleSeries Add(CandleInterval interval, DateTime completeFrom)
    {
        var series = new CandleSeries(_instrument.Id, interval, _instrument.Calendar, _options.HistoryCapacity, _options.EmptyIntervals, completeFrom);
        CandleSeries[] grown = [.. _series, series];
        Array.Sort(grown, (a, b) => a.Interval.CompareTo(b.Interval));
        _series = grown;
        return series;
    }

    /// <summary>The finest other series whose bars tile <paramref name="series"/>'s and that saw at least every tick it saw.</summary>
    private CandleSeries? FinerSourceOf(CandleSeries series)
    {
        long length = series.Interval.Length.Ticks;
        foreach (CandleSeries finer in _series)
        {
            long finerLength = finer.Interval.Length.Ticks;
            if (finerLength < length && length % finerLength == 0 && finer.CompleteFrom <= series.CompleteFrom)
            {
                return finer;
            }
        }

        return null;
    }

    public CandleSeries? Find(CandleInterval interval)
    {
        foreach (CandleSeries series in _series)
        {
            if (series.Interval == interval)
            {
                return series;
            }
        }

        return null;
    }

    /// <summary>Merges a tick that the hub admitted for candles (not an outlier, not out of order).</summary>
    public void Apply(in Tick tick, ICandleSink sink)
    {
        if (!tick.Ltp.HasValue)
        {
            return;
        }

        // Volume bookkeeping runs even for late ticks: a cumulative counter must advance or the next delta double counts.
        Quantity delta = _volume.DeltaOf(in tick);
        DateTime time = tick.EventTime;
        if (time < ClosedThrough)
        {
            LateTicks++;
            return;
        }

        foreach (CandleSeries series in _series)
        {
            series.Apply(time, tick.Ltp, delta, sink);
        }

        RefreshClosedThrough();
    }

    /// <summary>
    /// Seeds one timeframe with history (oldest first); returns how many bars were kept. With a <paramref name="sink"/>,
    /// the forming bars of coarser timeframes are rebuilt from the finest one, so they include the seeded bars too.
    /// </summary>
    public int Seed(CandleInterval interval, IReadOnlyList<Candle> history, ICandleSink? sink = null)
    {
        CandleSeries series = GetOrAdd(interval);
        int kept = 0;
        foreach (Candle candle in history)
        {
            if (series.Seed(in candle))
            {
                kept++;
            }
        }

        RefreshClosedThrough();
        if (sink is not null && kept > 0)
        {
            foreach (CandleSeries coarser in _series)
            {
                if (coarser.Interval.CompareTo(interval) > 0 && FinerSourceOf(coarser) is { } finer)
                {
                    coarser.RebuildFrom(finer, sink);
                }
            }
        }

        return kept;
    }

    /// <summary>
    /// Applies closed bars of <paramref name="interval"/> given after the fact (see <see cref="CandleSeries.Revise"/>) and
    /// keeps the coarser timeframes it tiles consistent: their closed bars over a changed bar are recomputed from this
    /// timeframe's bars (when it holds that whole stretch) and replaced or inserted the same way; a forming bar over it
    /// is rebuilt (an update through <paramref name="sink"/>). Finer timeframes are never touched (a bar cannot be split).
    /// Every change is added to <paramref name="changes"/>, this timeframe's first.
    /// </summary>
    public void Revise(CandleInterval interval, IReadOnlyList<Candle> bars, ICandleSink sink, List<CandleChange> changes)
    {
        CandleSeries series = GetOrAdd(interval);
        int first = changes.Count;
        foreach (Candle bar in bars)
        {
            if (series.Revise(in bar) is { } change)
            {
                changes.Add(change);
            }
        }

        int changed = changes.Count - first;
        if (changed == 0)
        {
            RefreshClosedThrough();
            return;
        }

        long length = interval.Length.Ticks;
        foreach (CandleSeries coarser in _series)
        {
            long coarserLength = coarser.Interval.Length.Ticks;
            if (coarserLength > length && coarserLength % length == 0)
            {
                ReviseCoarser(coarser, series, changes, first, first + changed, sink);
            }
        }

        RefreshClosedThrough();
    }

    private static void ReviseCoarser(CandleSeries coarser, CandleSeries finer, List<CandleChange> changes, int from, int to, ICandleSink sink)
    {
        DateTime done = DateTime.MinValue;
        for (int i = from; i < to; i++)
        {
            if (!coarser.BarAt(changes[i].New.Start, out DateTime start, out DateTime end) || start == done)
            {
                continue;
            }

            done = start;
            if (coarser.Current is { } forming)
            {
                if (forming.Start == start)
                {
                    coarser.RebuildFrom(finer, sink);
                    continue;
                }

                if (forming.Start < end)
                {
                    continue;
                }
            }

            // Only a stretch the finer series has closed all of, and still holds from its start, is recomputed.
            bool closedThrough = end <= finer.ClosedThrough || (finer.Current is { } current && current.Start >= end);
            if (!closedThrough || !finer.Reaches(start)
                || CandleSeries.Aggregate(finer.BarsIn(start, end), start, end, CandleFlags.Closed) is not { } sum)
            {
                continue;
            }

            bool held = coarser.BarsIn(start, start.AddTicks(1)).Length > 0;
            var bar = sum with { Flags = sum.Flags | (held ? CandleFlags.Revised : CandleFlags.Backfilled) };
            if (coarser.Revise(in bar) is { } change)
            {
                changes.Add(change);
            }
        }
    }

    public void Advance(DateTime nowUtc, ICandleSink sink)
    {
        foreach (CandleSeries series in _series)
        {
            series.Advance(nowUtc, _grace, sink);
        }

        RefreshClosedThrough();
    }

    private void RefreshClosedThrough()
    {
        DateTime latest = ClosedThrough;
        foreach (CandleSeries series in _series)
        {
            if (series.ClosedThrough > latest)
            {
                latest = series.ClosedThrough;
            }
        }

        ClosedThrough = latest;
    }
}
