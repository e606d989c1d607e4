using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Candles;

/// <summary>
/// OHLCV bars of one instrument at one interval. Boundaries are <c>sessionOpen + k·interval</c> in the exchange's
/// session (clipped at the close); a bar closes when a tick past its end arrives or when <see cref="Advance"/> sees
/// the clock past end + grace, whichever is first. Ticks for an interval that has already closed are counted as
/// late and not merged. Not thread-safe: owned by one hub partition (single writer).
/// </summary>
public sealed class CandleSeries
{
    /// <summary>Upper bound on flat bars emitted by one call, so a clock jump of days cannot stall the partition.</summary>
    private const int MaxFlatBarsPerCall = 2_000;

    private readonly SessionCalendar _calendar;
    private readonly long _lengthTicks;
    private CandleRing _history;
    private readonly EmptyIntervalPolicy _emptyIntervals;

    private SessionWindow _session;
    private bool _hasSession;
    private bool _hasCurrent;
    private DateTime _start;
    private DateTime _end;
    private Price _open;
    private Price _high;
    private Price _low;
    private Price _close;
    private Quantity _volume;
    private int _ticks;
    private Price _lastClose = Price.None;
    private bool _flatFillArmed;

    public CandleSeries(InstrumentId instrument, CandleInterval interval, SessionCalendar calendar, int historyCapacity, EmptyIntervalPolicy emptyIntervals)
    {
        Instrument = instrument;
        Interval = interval;
        _calendar = calendar;
        _lengthTicks = interval.Length.Ticks;
        _history = new CandleRing(historyCapacity);
        _emptyIntervals = emptyIntervals;
    }

    public InstrumentId Instrument { get; }

    public CandleInterval Interval { get; }

    /// <summary>End of the last closed bar: ticks stamped before it are late.</summary>
    public DateTime ClosedThrough { get; private set; }

    public long LateTicks { get; private set; }

    /// <summary>+1 per event (update or close) of this series, so a consumer can tell conflated updates from loss.</summary>
    public long Sequence { get; private set; }

    public long OutsideSessionTicks { get; private set; }

    public int HistoryCount => _history.Count;

    /// <summary>The forming bar, if any.</summary>
    public Candle? Current => _hasCurrent ? BuildCurrent(CandleFlags.None) : null;

    /// <summary>Up to <paramref name="count"/> most recent closed bars, oldest first.</summary>
    public Candle[] History(int count) => _history.Latest(count);

    /// <summary>Merges one trade/price at <paramref name="time"/>. Returns false when the tick was late or outside the session.</summary>
    public bool Apply(DateTime time, Price price, Quantity volume, ICandleSink sink)
    {
        if (_hasCurrent && time >= _end)
        {
            CloseCurrent(sink);
        }

        if (time < ClosedThrough)
        {
            LateTicks++;
            return false;
        }

        if (!_hasCurrent)
        {
            if (!EnterSessionOf(time))
            {
                OutsideSessionTicks++;
                return false;
            }

            DateTime start = BarStartOf(time);
            if (_flatFillArmed)
            {
                FillFlatBars(start, sink);
            }

            OpenBar(start, price);
            _flatFillArmed = true;
        }

        _high = Price.Max(_high, price);
        _low = Price.Min(_low, price);
        _close = price;
        if (volume.HasValue)
        {
            _volume += volume;
        }

        _ticks++;
        Candle current = BuildCurrent(CandleFlags.None);
        Sequence++;
        sink.OnCandleUpdated(this, in current);
        return true;
    }

    /// <summary>
    /// The timer's work: closes the forming bar once <paramref name="nowUtc"/> is past its end plus
    /// <paramref name="grace"/>, and under the flat policy emits bars for intervals that passed without a tick.
    /// </summary>
    public void Advance(DateTime nowUtc, TimeSpan grace, ICandleSink sink)
    {
        if (_hasCurrent && nowUtc >= _end + grace)
        {
            CloseCurrent(sink);
        }

        if (_flatFillArmed && !_hasCurrent)
        {
            FillFlatBars(nowUtc - grace, sink, requireWholeInterval: true);
        }
    }

    /// <summary>
    /// Adds a closed bar from venue history. Bars must come oldest first and end before anything live: one that
    /// overlaps what the series already holds (a closed bar or the forming one) is ignored, live data wins.
    /// </summary>
    public bool Seed(in Candle candle)
    {
        if (candle.Start < ClosedThrough || (_hasCurrent && candle.End > _start))
        {
            return false;
        }

        var seeded = candle with { Flags = candle.Flags | CandleFlags.Closed | CandleFlags.History };
        _history.Add(in seeded);
        ClosedThrough = seeded.End;
        _lastClose = seeded.Close;
        return true;
    }

    private bool EnterSessionOf(DateTime time)
    {
        if (_hasSession && _session.Contains(time))
        {
            return true;
        }

        SessionWindow? session = _calendar.SessionAt(time);
        if (session is null)
        {
            return false;
        }

        if (!_hasSession || session.Value != _session)
        {
            // Flat bars never precede the first real tick of a session.
            _flatFillArmed = false;
        }

        _session = session.Value;
        _hasSession = true;
        return true;
    }

    private DateTime BarStartOf(DateTime time)
    {
        long sinceOpen = (time - _session.OpenUtc).Ticks;
        return _session.OpenUtc.AddTicks(sinceOpen / _lengthTicks * _lengthTicks);
    }

    private DateTime BarEndOf(DateTime start)
    {
        DateTime end = start.AddTicks(_lengthTicks);
        return end > _session.CloseUtc ? _session.CloseUtc : end;
    }

    private void OpenBar(DateTime start, Price price)
    {
        _hasCurrent = true;
        _start = start;
        _end = BarEndOf(start);
        _open = price;
        _high = price;
        _low = price;
        _close = price;
        _volume = Quantity.Zero;
        _ticks = 0;
    }

    private void CloseCurrent(ICandleSink sink)
    {
        Candle closed = BuildCurrent(CandleFlags.Closed);
        _hasCurrent = false;
        _history.Add(in closed);
        ClosedThrough = _end;
        _lastClose = _close;
        Sequence++;
        sink.OnCandleClosed(this, in closed);
    }

    /// <summary>
    /// Emits flat bars from <see cref="ClosedThrough"/> up to <paramref name="limit"/> inside the current session.
    /// With <paramref name="requireWholeInterval"/> only intervals that ended by <paramref name="limit"/> are emitted
    /// (timer); otherwise every interval that starts before <paramref name="limit"/> (a tick opening a later bar).
    /// </summary>
    private void FillFlatBars(DateTime limit, ICandleSink sink, bool requireWholeInterval = false)
    {
        if (_emptyIntervals != EmptyIntervalPolicy.FlatFromPreviousClose || !_lastClose.HasValue || !_hasSession
            || ClosedThrough < _session.OpenUtc)
        {
            return;
        }

        for (int emitted = 0; emitted < MaxFlatBarsPerCall; emitted++)
        {
            DateTime start = ClosedThrough;
            if (start >= _session.CloseUtc)
            {
                return;
            }

            DateTime end = BarEndOf(start);
            if (requireWholeInterval ? end > limit : start >= limit)
            {
                return;
            }

            var flat = new Candle(start, end, _lastClose, _lastClose, _lastClose, _lastClose, Quantity.Zero, 0, CandleFlags.Closed | CandleFlags.Flat);
            _history.Add(in flat);
            ClosedThrough = end;
            Sequence++;
            sink.OnCandleClosed(this, in flat);
        }
    }

    private Candle BuildCurrent(CandleFlags flags) =>
        new(_start, _end, _open, _high, _low, _close, _volume, _ticks, flags);
}
