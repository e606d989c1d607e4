using System.Diagnostics;

namespace MarketFeed.Benchmarks.Bus;

/// <summary>Latencies in Stopwatch ticks, kept whole (a benchmark round records at most a few hundred thousand).</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _samples = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    public void Record(long stopwatchTicks)
    {
        lock (_gate)
        {
            _samples.Add(stopwatchTicks);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _samples.Clear();
        }
    }

    public double PercentileMs(double quantile)
    {
        lock (_gate)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }

            long[] sorted = [.. _samples];
            Array.Sort(sorted);
            long value = sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
            return value * 1000.0 / Stopwatch.Frequency;
        }
    }
}
