using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The simulator's past: bars on the instrument's own session grid, walked backwards from its current price with
/// the same kind of random walk, so the last historical close is where live ticks continue. Deterministic per
/// (seed, instrument, interval, end).
/// </summary>
internal static class SimulatorHistory
{
    /// <summary>Ticks per second assumed when scaling per-tick volatility to a bar.</summary>
    private const double AssumedTicksPerSecond = 4;

    public static IReadOnlyList<Candle> Build(SimulatedInstrument s, CandleInterval interval, DateTime endUtc, int count, int seed)
    {
        IReadOnlyList<(DateTime Start, DateTime End)> grid = CandleSchedule.BarsBefore(s.Instrument.Calendar, interval, endUtc, count);
        var random = new DeterministicRandom(DeterministicRandom.SeedFor(seed, $"{s.Instrument.Symbol}|{interval.Label}|{endUtc.Ticks}"));
        double seconds = Math.Min(interval.Length.TotalSeconds, 3_600);
        double perTick = s.Spec.VolatilityPerTick > 0 ? s.Spec.VolatilityPerTick : 0.004;
        double sigma = perTick * Math.Sqrt(seconds * AssumedTicksPerSecond);
        Price tickSize = s.Instrument.TickSize;

        var bars = new Candle[grid.Count];
        double close = s.Last.ToDouble();
        for (int i = grid.Count - 1; i >= 0; i--)
        {
            double open = close / Math.Exp(sigma * random.NextGaussian());
            double high = Math.Max(open, close) * (1 + (Math.Abs(random.NextGaussian()) * sigma / 2));
            double low = Math.Min(open, close) * (1 - (Math.Abs(random.NextGaussian()) * sigma / 2));
            Quantity volume = s.Instrument.IsTradable
                ? Quantity.FromScaled(random.NextLong(s.Spec.MinTradeUnits, s.Spec.MaxTradeUnits) * (long)Math.Max(1, seconds / 15), s.Spec.QuantityDecimals)
                : Quantity.Zero;
            bars[i] = new Candle(
                grid[i].Start, grid[i].End,
                Round(open, tickSize), Round(high, tickSize), Round(low, tickSize), Round(close, tickSize),
                volume, 0, CandleFlags.Closed | CandleFlags.History);
            close = open;
        }

        return bars;
    }

    private static Price Round(double value, Price tickSize) => Price.Max(Price.FromDouble(value, tickSize), tickSize);
}
