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

    /// <summary><paramref name="completeFrom"/>: when the series starts seeing every tick (its creation); a live bar that began earlier is <see cref="CandleFlags.Partial"/>.</summary>
    public CandleSeries(InstrumentId instrument, CandleInterval interval, SessionCalendar calendar, int historyCapacity, EmptyIntervalPolicy emptyIntervals, DateTime completeFrom = default)
    {
        CompleteFrom = completeFrom;
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

    /// <summary>From this time on the series holds every tick it was given; live bars that began earlier are partial.</summary>
    public DateTime CompleteFrom { get; private set; }

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

    /// <summary>
    /// Applies a closed bar the venue gave after the fact (<see cref="CandleFlags.Revised"/> or
    /// <see cref="CandleFlags.Backfilled"/>): the bar with the same start is replaced, or, where there is none, the bar is
    /// inserted in start order. A bar off this series' grid, or one reaching into the forming bar, is refused. Returns
    /// null when nothing changed, else the change (the bar as kept, and the one it replaced).
    /// </summary>
    public CandleChange? Revise(in Candle candle)
    {
        Candle? previous = null;
        if (!GridEndOf(candle.Start, out DateTime end) || (_hasCurrent && end > _start))
        {
            return null;
        }

        var bar = candle with { End = end, Flags = candle.Flags | CandleFlags.Closed };
        int index = _history.IndexOf(bar.Start);
        if (index >= 0)
        {
            ref Candle held = ref _history.At(index);
            if (held.Open == bar.Open && held.High == bar.High && held.Low == bar.Low && held.Close == bar.Close && held.Volume == bar.Volume)
            {
                return null;
            }

            previous = held;
            held = bar;
        }
        else
        {
            // A bar older than a full ring is not kept here, but it is still a change (stored, and told to consumers).
            _history.InsertOrdered(in bar);
        }

        if (end >= ClosedThrough)
        {
            ClosedThrough = end;
            _lastClose = bar.Close;
        }

        Sequence++;
        return new CandleChange(this, previous, bar, Sequence);
    }

    /// <summary>The closed bars that start in [<paramref name="start"/>, <paramref name="end"/>), oldest first.</summary>
    public Candle[] BarsIn(DateTime start, DateTime end)
    {
        int from = _history.LowerBound(start);
        int to = _history.LowerBound(end);
        var bars = new Candle[to - from];
        for (int i = from; i < to; i++)
        {
            bars[i - from] = _history.At(i);
        }

        return bars;
    }

    /// <summary>Whether the oldest bar held starts at or before <paramref name="start"/> (or the ring has never been full).</summary>
    public bool Reaches(DateTime start) =>
        _history.Count < _history.Capacity || (_history.Count > 0 && _history.At(0).Start <= start);

    /// <summary>The start of the bar containing <paramref name="time"/> on this series' grid, and its end; false outside every session.</summary>
    public bool BarAt(DateTime time, out DateTime start, out DateTime end)
    {
        (start, end) = (default, default);
        if (_calendar.SessionAt(time) is not { } session)
        {
            return false;
        }

        start = session.OpenUtc.AddTicks((time - session.OpenUtc).Ticks / _lengthTicks * _lengthTicks);
        DateTime next = start.AddTicks(_lengthTicks);
        end = next > session.CloseUtc ? session.CloseUtc : next;
        return true;
    }

    /// <summary>Whether <paramref name="start"/> is a bar boundary of this series' grid; <paramref name="end"/> is that bar's end.</summary>
    public bool GridEndOf(DateTime start, out DateTime end) => BarAt(start, out DateTime at, out end) && at == start;

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

    /// <summary>
    /// Rebuilds the forming bar as the aggregate of <paramref name="finer"/>'s bars inside it (its interval must divide
    /// this one's, and it must have seen at least every tick this series saw), so a higher timeframe created late or
    /// seeded after a lower one still equals the aggregate of the lower one's bars. Returns false when nothing changed.
    /// </summary>
    public bool RebuildFrom(CandleSeries finer, ICandleSink sink)
    {
        // The bar to rebuild is the one live data is in: this series' forming bar, or the finer one's latest live bar.
        // Finer history alone opens nothing (a past bar built from history would only be closed again, flagged partial).
        Candle? lastClosed = finer._history.Count > 0 ? finer._history.Latest(1)[0] : null;
        DateTime? reference = _hasCurrent ? _start
            : finer.Current?.Start ?? (lastClosed is { } last && (last.Flags & CandleFlags.History) == 0 ? last.Start : null);
        if (reference is not { } at || at < ClosedThrough || !EnterSessionOf(at))
        {
            return false;
        }

        DateTime start = BarStartOf(at);
        DateTime end = BarEndOf(start);
        if ((_hasCurrent && _start != start) || start < ClosedThrough)
        {
            return false;
        }

        int perBar = (int)Math.Min(finer._history.Capacity, (_lengthTicks / finer._lengthTicks) + 1);
        Candle[] closed = finer.History(perBar);
        if (finer._history.Count == finer._history.Capacity && closed.Length > 0 && closed[0].Start > start)
        {
            // The finer ring no longer reaches back to this bar's start: its aggregate would be short.
            return false;
        }

        Candle[] bars = finer.Current is { } forming ? [.. closed, forming] : closed;
        if (Aggregate(bars, start, end, CandleFlags.None) is not { } sum)
        {
            return false;
        }

        OpenBar(start, sum.Open);
        (_high, _low, _close, _volume, _ticks) = (sum.High, sum.Low, sum.Close, sum.Volume, sum.Ticks);
        if (finer.CompleteFrom < CompleteFrom)
        {
            CompleteFrom = finer.CompleteFrom;
        }

        _flatFillArmed = true;
        Candle current = BuildCurrent(CandleFlags.None);
        Sequence++;
        sink.OnCandleUpdated(this, in current);
        return true;
    }

    /// <summary>
    /// The aggregate of the non-flat <paramref name="bars"/> (start order) that start in [<paramref name="start"/>,
    /// <paramref name="end"/>): open of the first, close of the last, highest high, lowest low, summed volume and ticks;
    /// null when none does. A partial bar among them makes the aggregate partial.
    /// </summary>
    internal static Candle? Aggregate(ReadOnlySpan<Candle> bars, DateTime start, DateTime end, CandleFlags flags)
    {
        Candle? sum = null;
        foreach (Candle bar in bars)
        {
            if (bar.Start < start || bar.Start >= end || bar.IsFlat)
            {
                continue;
            }

            CandleFlags partial = bar.Flags & CandleFlags.Partial;
            sum = sum is not { } s
                ? new Candle(start, end, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume.HasValue ? bar.Volume : Quantity.Zero, bar.Ticks, flags | partial)
                : s with
                {
                    High = Price.Max(s.High, bar.High),
                    Low = Price.Min(s.Low, bar.Low),
                    Close = bar.Close,
                    Volume = bar.Volume.HasValue ? s.Volume + bar.Volume : s.Volume,
                    Ticks = s.Ticks + bar.Ticks,
                    Flags = s.Flags | partial,
                };
        }

        return sum;
    }

    private Candle BuildCurrent(CandleFlags flags) =>
        new(_start, _end, _open, _high, _low, _close, _volume, _ticks, _start < CompleteFrom ? flags | CandleFlags.Partial : flags);
}
