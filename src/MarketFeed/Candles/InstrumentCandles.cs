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

    public InstrumentCandles(Instrument instrument, CandleOptions options, IEnumerable<CandleInterval> intervals)
    {
        _instrument = instrument;
        _options = options;
        _volume = new CandleVolumeTracker(instrument.Calendar);
        foreach (CandleInterval interval in intervals)
        {
            GetOrAdd(interval);
        }
    }

    public long LateTicks { get; private set; }

    public long VolumeResets => _volume.Resets;

    public IReadOnlyList<CandleSeries> Series => _series;

    public DateTime ClosedThrough { get; private set; }

    public CandleSeries GetOrAdd(CandleInterval interval) => GetOrAdd(interval, out _);

    public CandleSeries GetOrAdd(CandleInterval interval, out bool created)
    {
        created = false;
        foreach (CandleSeries existing in _series)
        {
            if (existing.Interval == interval)
            {
                return existing;
            }
        }

        created = true;
        var series = new CandleSeries(_instrument.Id, interval, _instrument.Calendar, _options.HistoryCapacity, _options.EmptyIntervals);
        CandleSeries[] grown = [.. _series, series];
        Array.Sort(grown, (a, b) => a.Interval.CompareTo(b.Interval));
        _series = grown;
        return series;
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

    /// <summary>Seeds one timeframe with history (oldest first); returns how many bars were kept.</summary>
    public int Seed(CandleInterval interval, IReadOnlyList<Candle> history)
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
