namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// The simulated past of one product: a log price that is a function of time alone (smooth noise at 18 scales from a
/// second to about three days, each scaled like a random walk over its scale), so any candle is computed on its own,
/// the same in every run with the same seed, wandering some ±15% around the product's start price.
/// </summary>
internal sealed class CoinbasePricePath(long startPrice, CoinbaseProductSpec spec, ulong seed)
{
    private const int Octaves = 18;

    /// <summary>(start, open, high, low, close, volume) of the bar of <paramref name="seconds"/> opening at <paramref name="open"/> (raw, on the product's grid).</summary>
    public (long Start, long Open, long High, long Low, long Close, long Volume) Bar(long open, long seconds)
    {
        long first = Price(open);
        long last = Price(open + seconds);
        long high = Math.Max(first, last);
        long low = Math.Min(first, last);
        for (int i = 1; i < 8; i++)
        {
            long inside = Price(open + (seconds * i / 8));
            (high, low) = (Math.Max(high, inside), Math.Min(low, inside));
        }

        long step = spec.BaseIncrement.Raw;
        long volume = (spec.MinTradeSteps + (long)(Unit(open, 99) * (spec.MaxTradeSteps - spec.MinTradeSteps))) * step * Math.Max(1, seconds / 6);
        return (open, first, high, low, last, volume);
    }

    private long Price(long unixSeconds)
    {
        double sigma = spec.DailyVolatility / Math.Sqrt(86_400);
        double log = 0;
        for (int octave = 0; octave < Octaves; octave++)
        {
            double scale = 1L << octave;
            double x = unixSeconds / scale;
            double floor = Math.Floor(x);
            double f = x - floor;
            double smooth = f * f * (3 - (2 * f));
            double a = Gaussian(octave, (long)floor);
            double b = Gaussian(octave, (long)floor + 1);
            log += sigma * Math.Sqrt(scale) * (a + ((b - a) * smooth));
        }

        long tick = spec.QuoteIncrement.Raw;
        return Math.Max(tick, (long)(startPrice * Math.Exp(0.5 * log) / tick) * tick);
    }

    private double Gaussian(long key, long index)
    {
        double u1 = Math.Max(1e-12, Unit(index, key));
        double u2 = Unit(index, key + 1000);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private double Unit(long index, long key) => (Mix(seed ^ Mix(((ulong)key * 0x9E3779B97F4A7C15UL) ^ Mix((ulong)index))) >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
