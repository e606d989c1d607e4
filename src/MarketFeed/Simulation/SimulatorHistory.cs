using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The simulator's bars on the instrument's own session grid: each the aggregate of the instrument's one-minute bars
/// (<see cref="MinuteBars"/>), each of those rounded to the tick first, so a 3- or 5-minute bar is exactly the
/// aggregate of its 1-minute bars. Before the instrument's live start the bars are its deterministic history (the
/// same for a seed on every run); after it, what the live path did.
/// </summary>
internal static class SimulatorHistory
{
    public static IReadOnlyList<Candle> Build(SimulatedInstrument s, CandleInterval interval, DateTime endUtc, int count, int seed)
    {
        _ = seed; // The instrument's path already carries the run's seed.

        // The past is kept a minute at a time: bars shorter than a minute have no history (each would be its whole
        // minute's bar again), so second series start empty and fill live, as on a venue without second candles.
        if (interval.Length < TradingClock.Minute)
        {
            return [];
        }

        SessionCalendar calendar = s.Instrument.Calendar;
        IReadOnlyList<(DateTime Start, DateTime End)> grid = CandleSchedule.BarsBefore(calendar, interval, endUtc, count);
        if (grid.Count == 0)
        {
            return [];
        }

        // Live minutes up to the last bar's end exist only once the path has gone through them.
        SimulatedInstrument source = s.Spec.Model == SimulatedModel.RandomWalk ? s : s.Underlying!;
        if (source.IsLive && grid[^1].End > source.PathTime)
        {
            source.AdvanceTo(grid[^1].End);
        }

        Price tickSize = s.Instrument.TickSize;
        var bars = new Candle[grid.Count];
        SessionWindow session = calendar.CurrentOrNextSession(grid[0].Start);
        for (int i = 0; i < grid.Count; i++)
        {
            (DateTime start, DateTime end) = grid[i];
            if (!session.Contains(start))
            {
                session = calendar.CurrentOrNextSession(start);
            }

            Candle? bar = null;
            for (DateTime minute = start; minute < end; minute += TradingClock.Minute)
            {
                Candle one = Rounded(MinuteBars.At(s, session, minute), minute, tickSize, s.Spec.QuantityDecimals);
                bar = bar is { } sofar
                    ? sofar with
                    {
                        High = Price.Max(sofar.High, one.High), Low = Price.Min(sofar.Low, one.Low), Close = one.Close,
                        Volume = sofar.Volume + one.Volume,
                    }
                    : one;
            }

            bars[i] = bar!.Value with { Start = start, End = end };
        }

        return bars;
    }

    private static Candle Rounded(MinuteBar bar, DateTime start, Price tickSize, int quantityDecimals)
    {
        Price open = DerivativePricing.Round(bar.Open, tickSize);
        Price close = DerivativePricing.Round(bar.Close, tickSize);
        Price high = Price.Max(DerivativePricing.Round(bar.High, tickSize), Price.Max(open, close));
        Price low = Price.Min(DerivativePricing.Round(bar.Low, tickSize), Price.Min(open, close));
        return new Candle(start, start + TradingClock.Minute, open, high, low, close, Quantity.FromScaled(bar.Volume, quantityDecimals), 0,
            CandleFlags.Closed | CandleFlags.History);
    }
}
