using MarketFeed.Instruments;

namespace MarketFeed.Simulation;

/// <summary>
/// The deterministic past of one simulated instrument, a pure function of (seed, symbol, time): daily closes walked
/// from the anchor close (the spec's base price on the trading day before the anchor date) with the instrument's
/// annual volatility, each session an intraday path from the previous close to its own close (a Brownian bridge whose
/// variance follows the intraday profile), and a volume for every minute. Live ticks continue from this path where
/// they start, so history and live agree.
/// </summary>
internal sealed class HistoricalPath
{
    private const int CachedDays = 8;
    private readonly SimulatedSpec _spec;
    private readonly SessionCalendar _calendar;
    private readonly ulong _key;
    private readonly double _dayVolatility;
    private readonly double _minuteVariance;
    private readonly Dictionary<DateOnly, double> _closes = [];
    private readonly Dictionary<DateOnly, MinuteBar[]> _days = [];
    private readonly long _lot;

    public HistoricalPath(SimulatedSpec spec, SessionCalendar calendar, int seed, DateOnly anchorDate)
    {
        _spec = spec;
        _calendar = calendar;
        _key = DeterministicRandom.SeedFor(seed, spec.Definition.Symbol);
        double perSecond = spec.AnnualVolatility * spec.AnnualVolatility / TradingClock.SecondsPerYear(calendar);
        _minuteVariance = perSecond * 60;
        _dayVolatility = Math.Sqrt(perSecond * calendar.Length.TotalSeconds);
        AnchorDay = TradingClock.PreviousTradingDay(calendar, anchorDate);
        _closes[AnchorDay] = (double)spec.BasePrice;
        _lot = spec.Definition.Exchange == "NFO" ? Math.Max(1, spec.Definition.LotSize) : 1;
    }

    /// <summary>The trading day whose close is the spec's base price.</summary>
    public DateOnly AnchorDay { get; }

    /// <summary>The close of trading day <paramref name="day"/>.</summary>
    public double Close(DateOnly day)
    {
        if (_closes.TryGetValue(day, out double known))
        {
            return known;
        }

        // Walk from the anchor towards the day, one trading day at a time (each day's return a function of the day).
        var path = new List<DateOnly>();
        DateOnly cursor = day;
        if (day > AnchorDay)
        {
            while (!_closes.ContainsKey(cursor))
            {
                path.Add(cursor);
                cursor = TradingClock.PreviousTradingDay(_calendar, cursor);
            }

            double close = _closes[cursor];
            for (int i = path.Count - 1; i >= 0; i--)
            {
                close *= Math.Exp((_dayVolatility * DayShock(path[i])) - (_dayVolatility * _dayVolatility / 2));
                _closes[path[i]] = close;
            }

            return close;
        }

        while (!_closes.ContainsKey(cursor))
        {
            path.Add(cursor);
            cursor = TradingClock.NextTradingDay(_calendar, cursor);
        }

        double later = _closes[cursor];
        for (int i = path.Count - 1; i >= 0; i--)
        {
            // The close of path[i] is the later day's close undone by the later day's return.
            DateOnly next = TradingClock.NextTradingDay(_calendar, path[i]);
            later /= Math.Exp((_dayVolatility * DayShock(next)) - (_dayVolatility * _dayVolatility / 2));
            _closes[path[i]] = later;
        }

        return later;
    }

    /// <summary>The minutes of <paramref name="day"/>'s session, from the previous close to the day's close.</summary>
    public MinuteBar[] Day(DateOnly day)
    {
        if (_days.TryGetValue(day, out MinuteBar[]? cached))
        {
            return cached;
        }

        SessionWindow session = _calendar.SessionOf(day);
        int minutes = (int)Math.Ceiling(session.Length.TotalMinutes);
        double open = Math.Log(Close(TradingClock.PreviousTradingDay(_calendar, day)));
        double target = Math.Log(Close(day)) - open;
        var random = new DeterministicRandom(_key ^ ((ulong)day.DayNumber * 0x9E3779B97F4A7C15UL));
        var variance = new double[minutes];
        var walk = new double[minutes + 1];
        double totalVariance = 0;
        for (int i = 0; i < minutes; i++)
        {
            variance[i] = _minuteVariance * TradingClock.Intensity(session, session.OpenUtc.AddMinutes(i + 0.5));
            walk[i + 1] = walk[i] + (Math.Sqrt(variance[i]) * random.NextGaussian());
            totalVariance += variance[i];
        }

        var bars = new MinuteBar[minutes];
        double miss = walk[minutes] - target;
        double cumulative = 0;
        double previous = open;
        for (int i = 0; i < minutes; i++)
        {
            cumulative += variance[i];
            double close = open + walk[i + 1] - (miss * cumulative / totalVariance);
            double reach = Math.Sqrt(variance[i]) * 0.6;
            double high = Math.Max(previous, close) + (Math.Abs(random.NextGaussian()) * reach);
            double low = Math.Min(previous, close) - (Math.Abs(random.NextGaussian()) * reach);
            bars[i] = new MinuteBar(Math.Exp(previous), Math.Exp(high), Math.Exp(low), Math.Exp(close), Volume(session, session.OpenUtc.AddMinutes(i)));
            previous = close;
        }

        if (_days.Count >= CachedDays)
        {
            _days.Clear();
        }

        _days[day] = bars;
        return bars;
    }

    /// <summary>The price at <paramref name="utc"/>: the close of the minute before it in its session, else the last close.</summary>
    public double ValueAt(DateTime utc)
    {
        SessionWindow session = _calendar.CurrentOrNextSession(utc);
        if (!session.Contains(utc))
        {
            return Close(TradingClock.PreviousTradingDay(_calendar, session.TradingDay));
        }

        int minute = (int)((utc - session.OpenUtc).Ticks / TradingClock.Minute.Ticks);
        return minute == 0 ? Close(TradingClock.PreviousTradingDay(_calendar, session.TradingDay)) : Day(session.TradingDay)[minute - 1].Close;
    }

    /// <summary>
    /// The quantity traded in the minute starting at <paramref name="minuteStart"/>: the spec's rate shaped by the intraday
    /// profile with log-normal noise, in whole lots for derivatives. Zero for an index.
    /// </summary>
    public long Volume(SessionWindow session, DateTime minuteStart)
    {
        if (_spec.VolumePerMinute <= 0 || !_spec.Definition.IsTradable)
        {
            return 0;
        }

        double noise = Math.Exp((0.5 * DeterministicRandom.GaussianAt(_key ^ (ulong)(minuteStart.Ticks / TradingClock.Minute.Ticks) ^ 0x5851F42D4C957F2DUL)) - 0.125);
        double units = _spec.VolumePerMinute * TradingClock.Intensity(session, minuteStart.AddSeconds(30)) * noise;
        return Math.Max(_lot, (long)Math.Round(units / _lot) * _lot);
    }

    private double DayShock(DateOnly day) => DeterministicRandom.GaussianAt(_key ^ ((ulong)day.DayNumber * 0xD1B54A32D192ED03UL));
}
