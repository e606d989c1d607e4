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
    private readonly CandleVolumeTracker _volume;
    private CandleSeries[] _series = [];

    /// <summary><paramref name="createdUtc"/>: when the instrument started being watched; live bars that began earlier are partial (default: none).</summary>
    public InstrumentCandles(Instrument instrument, CandleOptions options, IEnumerable<CandleInterval> intervals, DateTime createdUtc = default)
    {
        _instrument = instrument;
        _options = options;
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

    public void Advance(DateTime nowUtc, ICandleSink sink)
    {
        foreach (CandleSeries series in _series)
        {
            series.Advance(nowUtc, _options.Grace, sink);
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
