namespace MarketFeed.LoadTest.Soak;

/// <summary>Client-side latencies of one sampling interval, shared by every client; the sampler drains it.</summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _gate = new();
    private List<double> _current = new(64 * 1024);

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _current.Add(milliseconds);
        }
    }

    /// <summary>Everything since the last drain, sorted.</summary>
    public double[] Drain()
    {
        List<double> taken;
        lock (_gate)
        {
            taken = _current;
            _current = new List<double>(Math.Max(1024, taken.Count));
        }

        double[] sorted = [.. taken];
        Array.Sort(sorted);
        return sorted;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
