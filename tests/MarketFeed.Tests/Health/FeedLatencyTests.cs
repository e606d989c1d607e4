using MarketFeed.Health;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Health;

/// <summary>Exchange-to-receive latency per feed: buckets since start for Prometheus, percentiles over the last minute.</summary>
public class FeedLatencyTests
{
    private static readonly DateTime s_now = new(2026, 11, 20, 4, 0, 30, DateTimeKind.Utc);

    [Fact]
    public void Percentiles_of_the_last_minute_come_from_every_partition_and_older_ticks_leave_the_window()
    {
        var latency = new FeedLatency("kite", partitions: 2);
        Assert.Null(latency.LastMinute(s_now));

        // 98 ticks 4 ms late, split over both partitions, and two 800 ms late: the median is in 3–5 ms, p99 in 750–1000 ms.
        for (int i = 0; i < 98; i++)
        {
            latency.Record(i % 2, s_now.AddMilliseconds(-4), s_now);
        }

        latency.Record(0, s_now.AddMilliseconds(-800), s_now);
        latency.Record(1, s_now.AddMilliseconds(-800), s_now);
        LatencySummary summary = latency.LastMinute(s_now)!;
        Assert.Equal(100, summary.Samples);
        Assert.InRange(summary.P50Ms, 3, 5);
        Assert.InRange(summary.P99Ms, 750, 1000);

        // A minute and more later those ticks are out of the window, still in the totals.
        DateTime later = s_now.AddSeconds(65);
        latency.Record(0, later.AddMilliseconds(-40), later);
        summary = latency.LastMinute(later)!;
        Assert.Equal(1, summary.Samples);
        Assert.InRange(summary.P50Ms, 30, 50);
        (long[] buckets, double sumMs, long count) = latency.Total();
        Assert.Equal(101, count);
        Assert.Equal(101, buckets.Sum());
        Assert.Equal((98 * 4) + 1600 + 40, sumMs, 3);
        Assert.Equal(98, buckets[FeedLatency.BoundsMs.ToList().IndexOf(5)]);
    }

    [Fact]
    public void A_tick_stamped_after_it_was_received_counts_as_no_latency_and_one_beyond_the_last_bound_as_more_than_it()
    {
        var latency = new FeedLatency("binance", partitions: 1);
        latency.Record(0, s_now.AddSeconds(2), s_now);
        Assert.Equal(1, latency.Total().Buckets[0]);
        latency.Record(0, s_now.AddMinutes(-5), s_now);
        latency.Record(0, s_now.AddMinutes(-5), s_now);
        Assert.Equal(2, latency.Total().Buckets[^1]);
        Assert.Equal(FeedLatency.BoundsMs[^1], latency.LastMinute(s_now)!.P99Ms);
    }

    [Fact]
    public async Task The_hub_records_each_admitted_tick_with_an_exchange_time_under_its_feed()
    {
        await using var hub = new HubFixture();
        hub.Watch(hub.Reliance);
        hub.Watch(hub.Btc);
        await hub.PublishAsync(
            hub.TickOf(hub.Reliance, 100m, at: hub.Now.AddMilliseconds(-250)),
            hub.TickOf(hub.Btc, 50_000m, at: hub.Now.AddMilliseconds(-250)),
            hub.TickOf(hub.Reliance, 101m) with { ExchangeTime = default });

        LatencySummary summary = hub.Hub.LatencyOf("test").LastMinute(hub.Now)!;
        Assert.Equal(2, summary.Samples);
        Assert.InRange(summary.P50Ms, 200, 300);
        Assert.Equal(["test"], hub.Hub.Latencies.Select(l => l.Feed));
    }
}
