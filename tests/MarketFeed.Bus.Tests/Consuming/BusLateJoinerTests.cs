using System.Collections.Concurrent;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Consuming;

public sealed class BusLateJoinerTests
{
    [BrokerFact]
    public async Task A_consumer_attaching_at_the_stream_end_learns_a_quiet_instrument_and_its_latest_tick_from_the_next_state_round()
    {
        string bus = TestBroker.NewBusName("late");
        try
        {
            await using MarketFeedHost producer = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 0.1 }, TimeProvider.System)]);
            await using BusPublisher publisher = BusPublisher.Start(producer, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 1, Symbols = "NSE:ITC", GatewayId = "gw-late", StateInterval = TimeSpan.FromSeconds(1) });
            Assert.True(await Eventually.TrueAsync(() => producer.TryGetLatest("NSE:ITC", out _) && publisher.Status().Publish!.Confirmed > 2, TimeSpan.FromSeconds(30)));

            var feed = new BusFeed(new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 1, StartFrom = "next", LoadTimeout = TimeSpan.FromSeconds(1) }, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
            DateTime attached = DateTime.UtcNow;
            Assert.True(await Eventually.TrueAsync(() => consumer.Instruments.TryGetBySymbol("NSE:ITC", out _), TimeSpan.FromSeconds(10)));

            var ticks = new ConcurrentQueue<Tick>();
            await using MarketSubscription sub = consumer.Subscribe("NSE:ITC").OnTick(ticks.Enqueue);
            Assert.True(await Eventually.TrueAsync(() => !ticks.IsEmpty, TimeSpan.FromSeconds(10)));
            Tick first = ticks.First();
            Assert.True(first.ReceiveTime < attached, $"the latest state ({first.ReceiveTime:O}) is older than the attach ({attached:O})");
            Assert.True(producer.TryGetLatest("NSE:ITC", out Tick latest));
            Assert.True(first.ReceiveTime <= latest.ReceiveTime);
            Assert.Equal(0, consumer.BusStatus()!.Consume!.Gaps);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 1);
        }
    }
}
