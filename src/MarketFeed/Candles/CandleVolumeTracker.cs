using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Candles;

/// <summary>
/// Turns what a venue says about volume into the volume a candle gets from one tick: the change in cumulative day
/// volume (reset when the trading day changes, never negative), or the trade quantity for venues that send trades.
/// The first cumulative value seen mid-day is a baseline only: the day's earlier volume belongs to bars we never saw.
/// </summary>
public sealed class CandleVolumeTracker(SessionCalendar calendar)
{
    private Quantity _lastCumulative = Quantity.None;
    private DateOnly _tradingDay;
    private SessionWindow _cachedSession;
    private bool _hasCachedSession;

    /// <summary>Cumulative volume went down within a day (venue restart, reordering): treated as a new baseline.</summary>
    public long Resets { get; private set; }

    public Quantity DeltaOf(in Tick tick)
    {
        if ((tick.Flags & TickFlags.Trade) != 0)
        {
            return tick.Ltq.HasValue && tick.Ltq.Raw > 0 ? tick.Ltq : Quantity.Zero;
        }

        if ((tick.Flags & TickFlags.CumulativeVolume) == 0 || !tick.Volume.HasValue)
        {
            return Quantity.Zero;
        }

        DateOnly day = TradingDayOf(tick.EventTime);
        Quantity cumulative = tick.Volume;
        Quantity delta;
        if (day != _tradingDay)
        {
            // A new day: the venue's counter restarted at 0, so all of it is new volume (unless this is our first sight).
            delta = _lastCumulative.HasValue ? cumulative : Quantity.Zero;
            _tradingDay = day;
        }
        else if (!_lastCumulative.HasValue)
        {
            delta = Quantity.Zero;
        }
        else if (cumulative < _lastCumulative)
        {
            Resets++;
            delta = Quantity.Zero;
        }
        else
        {
            delta = cumulative - _lastCumulative;
        }

        _lastCumulative = cumulative;
        return delta;
    }

    private DateOnly TradingDayOf(DateTime time)
    {
        if (_hasCachedSession && _cachedSession.Contains(time))
        {
            return _cachedSession.TradingDay;
        }

        SessionWindow session = calendar.CurrentOrNextSession(time);
        _cachedSession = session;
        _hasCachedSession = session.Contains(time);
        return session.TradingDay;
    }
}
