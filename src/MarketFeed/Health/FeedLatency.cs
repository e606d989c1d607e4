namespace MarketFeed.Health;

/// <summary>
/// How late one feed's data is: exchange time to receive time of every admitted tick that carries both, as a histogram
/// since start (for Prometheus) and over the last minute (for percentiles a person reads). Each hub partition writes
/// its own shard without locks; readers sum the shards and may see a slightly old mix.
/// </summary>
public sealed class FeedLatency
{
    /// <summary>Bucket upper bounds in milliseconds; a last, unbounded bucket holds the rest.</summary>
    public static IReadOnlyList<double> BoundsMs { get; } =
        [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000, 60000];

    /// <summary>The window the percentiles cover.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const int Slots = 12;
    private static readonly long s_slotTicks = Window.Ticks / Slots;
    private static readonly long[] s_boundTicks = [.. BoundsMs.Select(ms => (long)(ms * TimeSpan.TicksPerMillisecond))];
    private static readonly int s_buckets = s_boundTicks.Length + 1;
    private readonly Shard[] _shards;

    public FeedLatency(string feed, int partitions)
    {
        Feed = feed;
        _shards = new Shard[partitions];
        for (int i = 0; i < partitions; i++)
        {
            _shards[i] = new Shard();
        }
    }

    public string Feed { get; }

    /// <summary>
    /// One tick's latency, recorded by hub partition <paramref name="partition"/> (its single writer). A tick stamped
    /// after it was received (the venue's clock ahead of ours) counts as 0. The receive time also moves the window.
    /// </summary>
    internal void Record(int partition, DateTime exchangeTime, DateTime receiveTime)
    {
        long latency = Math.Max(0, receiveTime.Ticks - exchangeTime.Ticks);
        int bucket = Array.BinarySearch(s_boundTicks, latency);
        bucket = bucket >= 0 ? bucket : ~bucket;
        _shards[partition].Add(bucket, latency, receiveTime.Ticks / s_slotTicks);
    }

    /// <summary>Every tick since start: counts per bucket of <see cref="BoundsMs"/> (not cumulative, the last one unbounded), sum in milliseconds, count.</summary>
    public (long[] Buckets, double SumMs, long Count) Total()
    {
        long[] buckets = new long[s_buckets];
        long sum = 0;
        foreach (Shard shard in _shards)
        {
            for (int b = 0; b < s_buckets; b++)
            {
                buckets[b] += Volatile.Read(ref shard.Total[b]);
            }

            sum += Volatile.Read(ref shard.SumTicks);
        }

        return (buckets, sum / (double)TimeSpan.TicksPerMillisecond, buckets.Sum());
    }

    /// <summary>The median and 99th percentile (milliseconds, interpolated within a bucket) over the minute before <paramref name="nowUtc"/>; null without a tick in it.</summary>
    public LatencySummary? LastMinute(DateTime nowUtc)
    {
        long current = nowUtc.Ticks / s_slotTicks;
        long[] buckets = new long[s_buckets];
        foreach (Shard shard in _shards)
        {
            for (int s = 0; s < Slots; s++)
            {
                long epoch = Volatile.Read(ref shard.Epochs[s]);
                if (epoch > current - Slots && epoch <= current)
                {
                    for (int b = 0; b < s_buckets; b++)
                    {
                        buckets[b] += Volatile.Read(ref shard.Window[(s * s_buckets) + b]);
                    }
                }
            }
        }

        long count = buckets.Sum();
        return count == 0 ? null : new LatencySummary(Percentile(buckets, count, 0.50), Percentile(buckets, count, 0.99), count);
    }

    private static double Percentile(long[] buckets, long count, double quantile)
    {
        double rank = quantile * count;
        long seen = 0;
        for (int b = 0; b < buckets.Length; b++)
        {
            if (buckets[b] == 0 || seen + buckets[b] < rank)
            {
                seen += buckets[b];
                continue;
            }

            double lower = b == 0 ? 0 : BoundsMs[b - 1];
            if (b == BoundsMs.Count)
            {
                // Beyond the last bound nothing is known but "more than it".
                return lower;
            }

            double within = (rank - seen) / buckets[b];
            return Math.Round(lower + ((BoundsMs[b] - lower) * Math.Clamp(within, 0, 1)), 2);
        }

        return BoundsMs[^1];
    }

    /// <summary>One partition's counts: since start, and per window slot (a slot is cleared when its time comes round again).</summary>
    private sealed class Shard
    {
        public readonly long[] Total = new long[s_buckets];
        public readonly long[] Window = new long[Slots * s_buckets];
        public readonly long[] Epochs = new long[Slots];
        public long SumTicks;

        public void Add(int bucket, long latency, long epoch)
        {
            int slot = (int)(epoch % Slots);
            if (Epochs[slot] != epoch)
            {
                // A reader may briefly see the slot half cleared: the percentiles are a view, not an account.
                Array.Clear(Window, slot * s_buckets, s_buckets);
                Volatile.Write(ref Epochs[slot], epoch);
            }

            Window[(slot * s_buckets) + bucket]++;
            Total[bucket]++;
            SumTicks += latency;
        }
    }
}
