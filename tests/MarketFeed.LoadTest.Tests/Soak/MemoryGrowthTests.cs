using MarketFeed.LoadTest.Soak;

namespace MarketFeed.LoadTest.Tests.Soak;

public class MemoryGrowthTests
{
    private static readonly TimeSpan s_warmUp = TimeSpan.FromMinutes(2);

    [Fact]
    public void A_steady_leak_after_warm_up_fails()
    {
        // 1 h of samples every 5 s: 200 MiB, leaking 3 MiB a minute.
        MemoryGrowth.Result result = MemoryGrowth.Evaluate(Series(60, t => 200 + (3 * t)), s_warmUp, 1.2, 50);
        Assert.True(result.Grew, result.Description);
        Assert.InRange(result.LastQuarterMegabytes - result.SecondQuarterMegabytes, 60, 100);
    }

    [Fact]
    public void Warm_up_growth_a_plateau_and_noise_pass()
    {
        // Doubles during warm-up, then flat with ±15 MiB noise and a few GC spikes.
        MemoryGrowth.Result result = MemoryGrowth.Evaluate(
            Series(60, t => t < 2 ? 100 + (100 * t) : 300 + (15 * Math.Sin(t * 7)) + (t % 10 < 0.1 ? 150 : 0)), s_warmUp, 1.2, 50);
        Assert.False(result.Grew, result.Description);
    }

    [Fact]
    public void Growth_needs_both_the_factor_and_the_absolute_amount()
    {
        // +34 % of a small process is 23 MiB: under the absolute threshold.
        Assert.False(MemoryGrowth.Evaluate(Series(60, t => 50 + (t * 0.8)), s_warmUp, 1.2, 50).Grew);

        // +73 MiB of a 1 GiB process is 7 %: under the factor.
        Assert.False(MemoryGrowth.Evaluate(Series(60, t => 1000 + (t * 2.5)), s_warmUp, 1.2, 50).Grew);
    }

    [Fact]
    public void Too_few_samples_after_warm_up_are_not_judged()
    {
        MemoryGrowth.Result result = MemoryGrowth.Evaluate(Series(2.5, t => 100 * t * t), s_warmUp, 1.2, 50);
        Assert.False(result.Grew);
        Assert.StartsWith("not judged", result.Description);
    }

    /// <summary>A sample every 5 s for <paramref name="minutes"/>, RSS as a function of minutes.</summary>
    private static List<(TimeSpan, double)> Series(double minutes, Func<double, double> rss) =>
        [.. Enumerable.Range(0, (int)(minutes * 12)).Select(i => (TimeSpan.FromSeconds(5 * i), rss(i / 12.0)))];
}
