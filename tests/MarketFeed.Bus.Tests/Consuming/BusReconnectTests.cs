using System.Collections.Concurrent;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Consuming;

/// <summary>Connections cut under a running producer and consumer (through a relay the test owns): nothing lost, nothing replayed.</summary>
public sealed class BusReconnectTests
{
    [BrokerFact]
    public async Task A_consumer_cut_off_resumes_at_the_next_offset_without_replaying_the_stream()
    {
        string bus = TestBroker.NewBusName("cutc");
        try
        {
            await using MarketFeedHost producer = await StartProducerAsync();
            await using BusPublisher publisher = BusPublisher.Start(producer, Options(TestBroker.Url, bus, "gw-cut"));
            Assert.True(await Eventually.TrueAsync(() => publisher.Status().Publish!.Confirmed > 20, TimeSpan.FromSeconds(20)));

            await using var cutter = new TcpCutter();
            var feed = new BusFeed(Options(cutter.Url, bus, "consumer-cut"), TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
            var ticks = new ConcurrentQueue<Tick>();
            await using MarketSubscription sub = consumer.Subscribe("NSE:RELIANCE").OnTick(ticks.Enqueue);
            Assert.True(await Eventually.TrueAsync(() => ticks.Count > 20, TimeSpan.FromSeconds(20)));

            long batchesBefore = consumer.BusStatus()!.Consume!.Batches;
            for (int i = 0; i < 2; i++)
            {
                cutter.Cut();
                int seen = ticks.Count;
                Assert.True(await Eventually.TrueAsync(() => ticks.Count > seen + 20 && consumer.BusStatus()!.State == "connected", TimeSpan.FromSeconds(30)), $"cut {i + 1}: {ticks.Count - seen} ticks since");
            }

            var status = consumer.BusStatus()!.Consume!;
            Assert.Equal(0, status.Gaps);
            Assert.Equal(0, status.Duplicates);
            long published = publisher.Status().Publish!.Batches;
            Assert.True(status.Batches <= published, $"{status.Batches} batches read of {published} published: the stream was replayed");
            Assert.Equal(2, feed.Recovery.Resumed);
            Assert.Equal(0, feed.Recovery.Redelivered);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }

    [BrokerFact]
    public async Task A_publisher_cut_off_sends_its_unconfirmed_batches_again_and_nothing_is_lost()
    {
        string bus = TestBroker.NewBusName("cutp");
        try
        {
            await using MarketFeedHost producer = await StartProducerAsync();
            await using var cutter = new TcpCutter();
            BusPublisher publisher = BusPublisher.Start(producer, Options(cutter.Url, bus, "gw-cutp"));
            await using (publisher)
            {
                await using StreamTap tap = await StreamTap.OpenAsync(bus, 0);
                Assert.True(await Eventually.TrueAsync(() => publisher.Status().Publish!.Confirmed > 20, TimeSpan.FromSeconds(20)));
                for (int i = 0; i < 3; i++)
                {
                    cutter.Cut();
                    long confirmed = publisher.Status().Publish!.Confirmed;
                    Assert.True(await Eventually.TrueAsync(() => publisher.Status().Publish!.Confirmed > confirmed + 20, TimeSpan.FromSeconds(30)), $"cut {i + 1}");
                }

                var ticks = MarketFeed.Bus.Tests.Publishing.BusPublisherTests.Ticks(tap, "NSE:RELIANCE");
                long last = ticks.Max(t => t.Header.BusSeq);
                Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), ticks.Select(t => t.Header.BusSeq).Distinct().Order());
                Assert.Equal(0, publisher.Status().Publish!.Dropped);
            }
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }

    private static Task<MarketFeedHost> StartProducerAsync() =>
        MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 50 }, TimeProvider.System)]);

    private static BusOptions Options(string url, string bus, string gateway) => new()
    {
        Url = url,
        Name = bus,
        Shards = 1,
        Symbols = "NSE:RELIANCE,NSE:INFY",
        GatewayId = gateway,
        StartFrom = "first",
        ReconnectInterval = TimeSpan.FromMilliseconds(500),
    };
}
