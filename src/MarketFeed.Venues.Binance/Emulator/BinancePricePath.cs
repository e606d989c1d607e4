namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The simulated past of one symbol: a log price that is a function of time alone — smooth noise at 21 scales from
/// one second to about 12 days, each scaled like a random walk's spread over its scale — so any bar of any interval
/// is computed on its own, the same in every run with the same seed, and wanders about ±15% around the symbol's price.
/// </summary>
internal sealed class BinancePricePath(BinanceSymbolSpec spec, ulong seed)
{
    private const int Octaves = 21;
    private const double Weight = 0.7;

    public BinanceSymbolSpec Spec { get; } = spec;

    public double Price(long unixMs)
    {
        double seconds = unixMs / 1000.0;
        double sigma = Spec.VolatilityPerSqrtSecond;
        double log = 0;
        for (int octave = 0; octave < Octaves; octave++)
        {
            double scale = 1L << octave;
            double x = seconds / scale;
            double floor = Math.Floor(x);
            double f = x - floor;
            double smooth = f * f * (3 - (2 * f));
            long index = (long)floor;
            double a = Gaussian(octave, index);
            double b = Gaussian(octave, index + 1);
            log += sigma * Math.Sqrt(scale) * (a + ((b - a) * smooth));
        }

        return (double)Spec.Price * Math.Exp(Weight * log);
    }

    /// <summary>A standard normal fixed by (seed, a key of the caller's, an index).</summary>
    public double Gaussian(long key, long index)
    {
        ulong h = Mix(seed ^ Mix(((ulong)key * 0x9E3779B97F4A7C15UL) ^ Mix((ulong)index)));
        double u1 = ((h >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (Mix(h) >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
