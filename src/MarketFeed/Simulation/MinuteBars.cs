using MarketFeed.Instruments;

namespace MarketFeed.Simulation;

/// <summary>
/// Any minute of a simulated instrument, past or live: its own random walk's minute (from history before its live
/// start, from the live path after), or for a derivative the underlying's minute priced through the derivative
/// (both are monotonic in the underlying, so the extremes map to extremes). Every longer bar is an aggregate of these.
/// </summary>
internal static class MinuteBars
{
    public static MinuteBar At(SimulatedInstrument s, SessionWindow session, DateTime minuteStart)
    {
        if (s.Spec.Model == SimulatedModel.RandomWalk)
        {
            return Own(s, session, minuteStart);
        }

        SimulatedInstrument underlying = s.Underlying!;
        MinuteBar u = Own(underlying, session, minuteStart);
        DateTime mid = minuteStart.AddSeconds(30);
        double open = DerivativePricing.Fair(s, u.Open, minuteStart);
        double close = DerivativePricing.Fair(s, u.Close, minuteStart + TradingClock.Minute);
        double atHigh = DerivativePricing.Fair(s, u.High, mid);
        double atLow = DerivativePricing.Fair(s, u.Low, mid);
        double high = Math.Max(Math.Max(atHigh, atLow), Math.Max(open, close));
        double low = Math.Min(Math.Min(atHigh, atLow), Math.Min(open, close));
        return new MinuteBar(open, high, low, close, s.History(minuteStart).Volume(session, minuteStart));
    }

    private static MinuteBar Own(SimulatedInstrument s, SessionWindow session, DateTime minuteStart)
    {
        HistoricalPath history = s.History(minuteStart);
        long volume = history.Volume(session, minuteStart);
        if (s.IsLive && minuteStart >= s.LiveStart)
        {
            return s.TryGetLiveMinute(minuteStart, out MinuteBar live)
                ? live with { Volume = volume }
                : MinuteBar.Flat(s.PathPrice) with { Volume = volume };
        }

        int index = (int)((minuteStart - session.OpenUtc).Ticks / TradingClock.Minute.Ticks);
        MinuteBar[] day = history.Day(session.TradingDay);
        return index >= 0 && index < day.Length ? day[index] with { Volume = volume } : MinuteBar.Flat(history.ValueAt(minuteStart));
    }
}
