using MarketFeed.Feeds;

namespace MarketFeed.Tests.Feeds;

public class ReconnectBackoffTests
{
    [Fact]
    public void The_first_retry_is_immediate_then_delays_double_with_jitter_up_to_the_cap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(3));
        TimeSpan[] delays = [.. Enumerable.Range(0, 8).Select(_ => backoff.Next())];
        Assert.Equal(TimeSpan.Zero, delays[0]);
        double[] nominal = [1, 2, 4, 8, 10, 10, 10];
        for (int i = 1; i < delays.Length; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, Math.Min(nominal[i - 1] * 0.8, 10), Math.Min(nominal[i - 1] * 1.2, 10));
        }

        Assert.True(delays.Skip(1).Take(4).Distinct().Count() == 4);
    }

    [Fact]
    public void Reset_makes_the_next_retry_immediate_again()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        backoff.Next();
        backoff.Next();
        backoff.Reset();
        Assert.Equal(TimeSpan.Zero, backoff.Next());
    }
}
