using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The running state of one simulated instrument: its price path (its own for indices, equities and crypto; the
/// underlying's for derivatives), day statistics, cumulative volume, open interest and book.
/// </summary>
internal sealed class SimulatedInstrument
{
    private readonly int _seed;
    private readonly double _variancePerSecond;
    private readonly double _secondsPerYear;
    private readonly Dictionary<long, MinuteBar> _liveBars = [];
    private HistoricalPath? _history;

    // The minute being recorded (kept out of the dictionary until it ends) and the profile's intensity for it.
    private long _barKey = long.MinValue;
    private MinuteBar _bar;
    private long _intensityKey = long.MinValue;
    private double _intensity;

    public SimulatedInstrument(SimulatedSpec spec, Instrument instrument, int seed, bool books = true)
    {
        Spec = spec;
        Instrument = instrument;
        _seed = seed;
        Random = new DeterministicRandom(DeterministicRandom.SeedFor(seed, instrument.Symbol));
        Last = Price.FromDecimal(spec.BasePrice).RoundToTick(instrument.TickSize);
        PreviousClose = Last;
        OpenInterest = spec.BaseOpenInterest;
        _secondsPerYear = TradingClock.SecondsPerYear(instrument.Calendar);
        _variancePerSecond = spec.AnnualVolatility * spec.AnnualVolatility / _secondsPerYear;
        if (spec.AnchorDate is { } anchor)
        {
            _history = new HistoricalPath(spec, instrument.Calendar, seed, anchor);
        }

        if (books && spec.BookLevels > 0)
        {
            // A stream of its own, so the book never changes the price path.
            Book = new SimulatedBook(
                instrument.TickSize, spec.BasePrice, spec.BookLevels, spec.QuantityDecimals, spec.MaxTradeUnits,
                DeterministicRandom.SeedFor(seed, instrument.Symbol + "#book"));
        }
    }

    public SimulatedSpec Spec { get; }

    public Instrument Instrument { get; }

    public DeterministicRandom Random { get; }

    public SimulatedInstrument? Underlying { get; set; }

    /// <summary>The instrument's L2 book (crypto), stepped with every tick; null when it has none.</summary>
    public SimulatedBook? Book { get; }

    /// <summary>The last published price.</summary>
    public Price Last { get; set; }

    /// <summary>When <see cref="Last"/> was published by a tick of the instrument (default: never).</summary>
    public DateTime LastPublished { get; set; }

    public Price PreviousClose { get; set; }

    public Price DayOpen { get; set; } = Price.None;

    public Price DayHigh { get; set; } = Price.None;

    public Price DayLow { get; set; } = Price.None;

    public long CumulativeVolumeUnits { get; set; }

    public double TurnoverForAverage { get; set; }

    public long OpenInterest { get; set; }

    /// <summary>The OI at the close of the day before <see cref="TradingDay"/>, once a day has rolled over live (−1 before).</summary>
    public long RolledPreviousOpenInterest { get; set; } = -1;

    public long TradeNumber { get; set; }

    public DateOnly TradingDay { get; set; }

    /// <summary>Until this instant <see cref="TradingDay"/> cannot change (the current or next session's close).</summary>
    public DateTime TradingDayKnownUntil { get; set; }

    /// <summary>The session of <see cref="TradingDay"/>.</summary>
    public SessionWindow DaySession { get; set; }

    /// <summary>Cached session state so the hot loop rarely converts time zones: open until / closed until.</summary>
    public DateTime SessionKnownUntil { get; set; }

    public bool SessionOpen { get; set; }

    /// <summary>Start of the minute from which volume has not yet been counted into <see cref="CountedVolumeUnits"/>.</summary>
    public DateTime VolumeMinute { get; set; }

    /// <summary>Volume of the day's whole minutes before <see cref="VolumeMinute"/>.</summary>
    public long CountedVolumeUnits { get; set; }

    /// <summary>The volume of the minute starting at <see cref="VolumeMinute"/>, once known (−1: not yet).</summary>
    public long VolumeMinuteUnits { get; set; } = -1;

    /// <summary>When the derivative's expiry session closes (cached: converting it costs time-zone work).</summary>
    public DateTime ExpiryCloseUtc { get; set; }

    /// <summary>True once live ticks have started; before, the instrument's price is its history's.</summary>
    public bool IsLive { get; private set; }

    /// <summary>Start of the minute the live path began in: minutes before it are history's, from it on live's.</summary>
    public DateTime LiveStart { get; private set; }

    /// <summary>The path's current (unrounded) price at <see cref="PathTime"/>.</summary>
    public double PathPrice { get; private set; }

    public DateTime PathTime { get; private set; }

    private SessionWindow PathSession { get; set; }

    /// <summary>The deterministic past (anchored at the spec's anchor date, else the first day the instrument is used).</summary>
    public HistoricalPath History(DateTime utc) =>
        _history ??= new HistoricalPath(Spec, Instrument.Calendar, _seed, Instrument.Calendar.TradingDayOf(utc));

    /// <summary>
    /// The open interest at the close of a past trading day (units, whole lots): near the base (sd 6 %, within 15 %),
    /// different each day, so the live OI — which starts at the base — has a real change from the previous day's.
    /// </summary>
    public long ClosingOpenInterest(DateOnly day)
    {
        double shock = DeterministicRandom.GaussianAt(DeterministicRandom.SeedFor(_seed, Instrument.Symbol + "|oi") ^ (ulong)day.DayNumber);
        long lot = Math.Max(1, Instrument.LotSize);
        return (long)Math.Round(Spec.BaseOpenInterest * Math.Exp(Math.Clamp(0.06 * shock, -0.15, 0.15)) / lot) * lot;
    }

    /// <summary>
    /// The OI at the close of the trading day before the current (or next) session's: the live OI at the last day
    /// roll, else history's. −1 for an instrument without open interest.
    /// </summary>
    public long PreviousDayOpenInterest(DateTime nowUtc)
    {
        if (Spec.BaseOpenInterest <= 0)
        {
            return -1;
        }

        DateOnly day = Instrument.Calendar.CurrentOrNextSession(nowUtc).TradingDay;
        return RolledPreviousOpenInterest >= 0 && day == TradingDay
            ? RolledPreviousOpenInterest
            : ClosingOpenInterest(TradingClock.PreviousTradingDay(Instrument.Calendar, day));
    }

    /// <summary>
    /// Starts the live path at the history's price for the minute <paramref name="utc"/> falls in; without an anchor
    /// date (a caller with a price path of its own) at the spec's base price.
    /// </summary>
    public void StartLive(DateTime utc)
    {
        if (IsLive)
        {
            return;
        }

        IsLive = true;
        LiveStart = TradingClock.MinuteStart(utc);
        PathTime = LiveStart;
        PathSession = Instrument.Calendar.CurrentOrNextSession(LiveStart);
        PathPrice = Spec.Model != SimulatedModel.RandomWalk ? 0
            : Spec.AnchorDate is null ? (double)Spec.BasePrice
            : History(utc).ValueAt(LiveStart);
    }

    /// <summary>
    /// Moves the instrument's own random walk to <paramref name="utc"/>: log-normal steps whose variance is the annual
    /// volatility times the trading time elapsed (shaped by the intraday profile, nothing while the market is closed),
    /// cut at minute boundaries and recorded as live minute bars. Asking more often samples the same process more
    /// finely; it does not add variance. A time not after the last is the current price.
    /// </summary>
    public double AdvanceTo(DateTime utc)
    {
        StartLive(utc);
        SessionCalendar calendar = Instrument.Calendar;
        while (PathTime < utc)
        {
            if (!PathSession.Contains(PathTime))
            {
                PathSession = calendar.CurrentOrNextSession(PathTime);
                if (PathTime < PathSession.OpenUtc)
                {
                    PathTime = PathSession.OpenUtc < utc ? PathSession.OpenUtc : utc;
                    continue;
                }
            }

            DateTime minute = TradingClock.MinuteStart(PathTime);
            DateTime next = Min(Min(utc, minute + TradingClock.Minute), PathSession.CloseUtc);
            double variance = _variancePerSecond * IntensityOf(minute) * (next - PathTime).TotalSeconds;
            double before = PathPrice;
            PathPrice *= Math.Exp((Math.Sqrt(variance) * Random.NextGaussian()) - (variance / 2));
            PathTime = next;
            Record(minute, before, PathPrice);
        }

        return PathPrice;
    }

    /// <summary>The live minute starting at <paramref name="minuteStart"/>, if the path went through it.</summary>
    public bool TryGetLiveMinute(DateTime minuteStart, out MinuteBar bar)
    {
        long key = minuteStart.Ticks / TradingClock.Minute.Ticks;
        if (key == _barKey)
        {
            bar = _bar;
            return true;
        }

        return _liveBars.TryGetValue(key, out bar);
    }

    private void Record(DateTime minute, double before, double after)
    {
        long key = minute.Ticks / TradingClock.Minute.Ticks;
        if (key != _barKey)
        {
            if (_barKey != long.MinValue)
            {
                _liveBars[_barKey] = _bar;
            }

            _barKey = key;
            _bar = new MinuteBar(before, Math.Max(before, after), Math.Min(before, after), after, 0);
            return;
        }

        _bar = _bar with { High = Math.Max(_bar.High, after), Low = Math.Min(_bar.Low, after), Close = after };
    }

    /// <summary>The intraday profile's intensity for the minute starting at <paramref name="minute"/> (computed once a minute).</summary>
    private double IntensityOf(DateTime minute)
    {
        long key = minute.Ticks / TradingClock.Minute.Ticks;
        if (key != _intensityKey)
        {
            _intensityKey = key;
            _intensity = TradingClock.Intensity(PathSession, minute.AddSeconds(30));
        }

        return _intensity;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
