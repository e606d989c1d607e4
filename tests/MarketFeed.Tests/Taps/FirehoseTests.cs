using MarketFeed.Candles;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Taps;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Taps;

public class FirehoseTests
{
    [Fact]
    public async Task Every_admitted_tick_and_candle_close_arrives_in_order_per_instrument_and_nothing_rejected_does()
    {
        await using var f = new HubFixture();
        f.Watch(f.Reliance);
        f.Watch(f.Infy);
        await using Firehose firehose = f.Hub.AttachFirehose();

        await f.PublishAsync(f.TickOf(f.Reliance, 2900m), f.TickOf(f.Infy, 1500m));
        await f.AdvanceAsync(TimeSpan.FromSeconds(1));
        await f.PublishAsync(f.TickOf(f.Reliance, 2901m), f.TickOf(f.Reliance, -5m), f.TickOf(f.Infy, 1501m));
        await f.AdvanceAsync(TimeSpan.FromMinutes(1.1));
        await f.PublishAsync(f.TickOf(f.Btc, 90_000m));

        var events = new List<FirehoseEvent>();
        while (firehose.TryRead(out FirehoseEvent item))
        {
            events.Add(item);
        }

        List<Tick> ticks = [.. events.Where(e => e.Kind == FirehoseEventKind.Tick).Select(e => e.Tick)];
        // In order per instrument (instruments on different partitions interleave in any order); the rejected -5 is absent.
        Assert.Equal([2900m, 2901m], ticks.Where(t => t.Instrument == f.Reliance.Id).Select(t => t.Ltp.ToDecimal()));
        Assert.Equal([1500m, 1501m], ticks.Where(t => t.Instrument == f.Infy.Id).Select(t => t.Ltp.ToDecimal()));
        Assert.All(ticks.GroupBy(t => t.Instrument), g => Assert.Equal(Enumerable.Range(1, g.Count()).Select(i => (long)i), g.Select(t => t.Seq)));
        CandleEvent[] closes = [.. events.Where(e => e.Kind == FirehoseEventKind.CandleClosed).Select(e => e.Candle)];
        Assert.Contains(closes, c => c.Instrument == f.Reliance.Id && c.Interval == CandleInterval.OneMinute && c.Candle.IsClosed && c.Candle.Close == Price.FromDecimal(2901m));
        Assert.Equal(0, firehose.Dropped);
    }

    [Fact]
    public async Task A_consumer_that_falls_behind_loses_counted_events_and_never_slows_the_hub()
    {
        await using var f = new HubFixture();
        HubSubscriber watcher = f.Watch(f.Reliance);
        await using Firehose firehose = f.Hub.AttachFirehose(new FirehoseOptions { Capacity = 32 });
        for (int i = 0; i < 100; i++)
        {
            await f.Hub.PublishAsync(f.TickOf(f.Reliance, 2900m + i, at: f.Now.AddMilliseconds(i)));
        }

        await f.Hub.FlushAsync();
        Assert.Equal(100, HubFixture.Drain(watcher).Count);
        // Two partitions: 16 slots each; RELIANCE lives on one of them.
        Assert.Equal(16, firehose.Written);
        Assert.Equal(84, firehose.Dropped);
    }

    [Fact]
    public async Task A_detached_firehose_gets_nothing_more_and_completes()
    {
        await using var f = new HubFixture();
        f.Watch(f.Reliance);
        Firehose firehose = f.Hub.AttachFirehose();
        await f.PublishAsync(f.TickOf(f.Reliance, 2900m));
        await firehose.DisposeAsync();
        await f.PublishAsync(f.TickOf(f.Reliance, 2901m));
        Assert.True(firehose.TryRead(out _));
        Assert.False(firehose.TryRead(out _));
        Assert.True(firehose.IsCompleted);
        Assert.False(await firehose.WaitToReadAsync());
    }

    [Fact]
    public async Task A_lossless_consumer_reading_as_it_goes_gets_every_event_in_order_even_through_a_small_ring()
    {
        await using var f = new HubFixture();
        f.Watch(f.Reliance);
        await using Firehose firehose = f.Hub.AttachFirehose(new FirehoseOptions { Capacity = 32, Lossless = true });
        var seen = new List<long>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task reader = Task.Run(async () =>
        {
            await foreach (FirehoseEvent item in firehose.ReadAllAsync(stop.Token))
            {
                if (item.Kind == FirehoseEventKind.Tick)
                {
                    seen.Add(item.Tick.Seq);
                    if (seen.Count == 2_000)
                    {
                        return;
                    }
                }
            }
        });

        for (int i = 0; i < 2_000; i++)
        {
            await f.Hub.PublishAsync(f.TickOf(f.Reliance, 2900m + (i % 50), at: f.Now.AddMilliseconds(i)));
        }

        await reader;
        Assert.Equal(Enumerable.Range(1, 2_000).Select(i => (long)i), seen);
        Assert.Equal(0, firehose.Dropped);
    }

    [Fact]
    public async Task Draining_in_place_hands_every_event_over_once_in_order_per_instrument()
    {
        await using var f = new HubFixture();
        f.Watch(f.Reliance);
        await using Firehose firehose = f.Hub.AttachFirehose();
        for (int i = 0; i < 50; i++)
        {
            await f.Hub.PublishAsync(f.TickOf(f.Reliance, 2900m + i, at: f.Now.AddMilliseconds(i)));
        }

        await f.Hub.FlushAsync();
        var reader = new SeqReader { Seqs = [] };
        Assert.Equal(50, firehose.Drain(ref reader));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), reader.Seqs);
        Assert.Equal(0, firehose.Drain(ref reader));
    }

    private struct SeqReader : IFirehoseReader
    {
        public List<long> Seqs;

        public readonly void OnTick(in Tick tick) => Seqs.Add(tick.Seq);

        public readonly void OnCandleClosed(in CandleEvent candle)
        {
        }
    }
}
