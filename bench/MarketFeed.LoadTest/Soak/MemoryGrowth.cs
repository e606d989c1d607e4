namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// The memory criterion. Warm-up is ignored; the rest of the run is cut in quarters by sample order and the median
/// RSS of the last quarter is compared with the second quarter's (the first quarter after warm-up still holds
/// one-off growth: caches filling, candle history rings reaching their size). Medians, so one sample taken during a
/// GC or a fault does not decide. Growth needs both the factor and the absolute amount.
/// </summary>
internal static class MemoryGrowth
{
    /// <summary>Below this many samples after warm-up the quarters are too thin to judge.</summary>
    public const int MinimumSamples = 8;

    public static Result Evaluate(IReadOnlyList<(TimeSpan At, double RssMegabytes)> samples, TimeSpan warmUp, double factor, double minimumMegabytes)
    {
        double[] rss = [.. samples.Where(s => s.At >= warmUp && !double.IsNaN(s.RssMegabytes)).OrderBy(s => s.At).Select(s => s.RssMegabytes)];
        if (rss.Length < MinimumSamples)
        {
            return new Result(false, double.NaN, double.NaN, $"not judged: {rss.Length} samples after warm-up, {MinimumSamples} needed");
        }

        int n = rss.Length;
        double second = Median(rss[(n / 4)..(n / 2)]);
        double last = Median(rss[(3 * n / 4)..]);
        bool grew = last > second * factor && last - second > minimumMegabytes;
        string description = $"median RSS {second:F0} MiB in the second quarter, {last:F0} MiB in the last ({(last / second - 1) * 100:+0.0;-0.0} %; " +
            $"fails above ×{factor:0.##} and +{minimumMegabytes:0} MiB)";
        return new Result(grew, second, last, description);
    }

    public static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public sealed record Result(bool Grew, double SecondQuarterMegabytes, double LastQuarterMegabytes, string Description);
}
