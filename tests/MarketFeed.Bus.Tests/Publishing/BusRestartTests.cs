using System.Collections.Concurrent;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Publishing;

public sealed class BusRestartTests : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("mf-bus-state-");

    public void Dispose() => _state.Delete(recursive: true);

    [BrokerFact]
    public async Task A_restarted_producer_resumes_its_sequences_in_a_new_epoch_and_the_consumer_sees_no_gap()
    {
        string bus = TestBroker.NewBusName("restart");
        var options = new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 1, Symbols = "NSE:RELIANCE", GatewayId = "gw-restart", StateDirectory = _state.FullName, StartFrom = "first" };
        try
        {
            uint firstEpoch = await PublishAWhileAsync(options);
            var feed = new BusFeed(options, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
            var ticks = new ConcurrentQueue<Tick>();
            await using MarketSubscription sub = consumer.Subscribe("NSE:RELIANCE").OnTick(ticks.Enqueue);
            Assert.True(await Eventually.TrueAsync(() => consumer.BusStatus()!.Consume!.Producers.Any(p => p.State == "stopped"), TimeSpan.FromSeconds(20)));
            int before = ticks.Count;

            uint secondEpoch = await PublishAWhileAsync(options);
            Assert.True(secondEpoch > firstEpoch);
            Assert.True(await Eventually.TrueAsync(() => consumer.BusStatus()!.Consume!.Producers.Single().Epoch == secondEpoch && ticks.Count > before + 20, TimeSpan.FromSeconds(20)), $"{ticks.Count} ticks, {before} before");

            var status = consumer.BusStatus()!.Consume!;
            Assert.Equal((0L, 0L), (status.Gaps, status.Rewinds));
            await using StreamTap tap = await StreamTap.OpenAsync(bus, 0);
            Assert.True(await tap.WaitAsync(t => t.Batches.Any(b => b.Header.Epoch == secondEpoch && b.Events.Events.Any(e => e.Kind == MarketFeed.Bus.Contract.BusEventKind.Heartbeat && e.Value is (true, _))), TimeSpan.FromSeconds(10)));
            var numbers = BusPublisherTests.Ticks(tap, "NSE:RELIANCE").Select(t => t.Header.BusSeq).ToList();
            Assert.Equal(Enumerable.Range(1, numbers.Count).Select(i => (long)i), numbers);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }

    /// <summary>A producer gateway on the simulator publishing for two seconds, then stopping cleanly; its epoch.</summary>
    private static async Task<uint> PublishAWhileAsync(BusOptions options)
    {
        await using MarketFeedHost producer = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 30 }, TimeProvider.System)]);
        await using BusPublisher publisher = BusPublisher.Start(producer, options);
        Assert.True(await Eventually.TrueAsync(() => publisher.Status().Publish!.Confirmed > 10, TimeSpan.FromSeconds(20)));
        await Task.Delay(1_000);
        return publisher.Epoch;
    }
}
