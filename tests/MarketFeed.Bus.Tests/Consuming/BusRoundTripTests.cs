using System.Collections.Concurrent;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Publishing;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Consuming;

public sealed class BusRoundTripTests
{
    [BrokerFact]
    public async Task A_host_on_the_bus_feed_gets_the_producers_ticks_unchanged_and_sees_the_producer_stop()
    {
        string bus = TestBroker.NewBusName("rt");
        try
        {
            await using MarketFeedHost producer = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 20 }, TimeProvider.System)]);
            var produced = new ConcurrentDictionary<DateTime, Tick>();
            await using MarketSubscription watch = producer.Subscribe("NSE:RELIANCE").OnTick(t => produced[t.ReceiveTime] = t);
            BusPublisher publisher = BusPublisher.Start(producer, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, Symbols = "NSE:RELIANCE,NSE:INFY", GatewayId = "gw-rt" });
            try
            {
                Assert.True(await Eventually.TrueAsync(() => publisher.Status().Publish!.Confirmed > 5, TimeSpan.FromSeconds(20)));

                var feed = new BusFeed(new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, StartFrom = "first", GatewayId = "consumer-rt" }, TimeProvider.System);
                await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
                Assert.Equal(producer.Resolve("NSE:RELIANCE").TickSize, consumer.Resolve("NSE:RELIANCE").TickSize);
                Assert.Equal(producer.Resolve("NSE:INFY").Calendar.Name, consumer.Resolve("NSE:INFY").Calendar.Name);

                var consumed = new ConcurrentQueue<Tick>();
                await using MarketSubscription sub = consumer.Subscribe("NSE:RELIANCE").OnTick(consumed.Enqueue);
                Assert.True(await Eventually.TrueAsync(() => consumed.Count >= 40, TimeSpan.FromSeconds(20)), $"{consumed.Count} ticks consumed");

                foreach (Tick tick in consumed)
                {
                    Assert.True(produced.TryGetValue(tick.ReceiveTime, out Tick original), $"a consumed tick received at {tick.ReceiveTime:O} the producer never had");
                    original.Instrument = tick.Instrument;
                    Assert.True(tick.SameMarketDataAs(original), $"{tick.Ltp} {tick.Bid}/{tick.Ask} vs {original.Ltp} {original.Bid}/{original.Ask}");
                    Assert.Equal(original.ExchangeTime, tick.ExchangeTime);
                }

                Assert.True(consumed.Zip(consumed.Skip(1)).All(p => p.Second.Seq == p.First.Seq + 1));
                BusStatus status = consumer.BusStatus()!;
                Assert.Equal(("consumer", "connected"), (status.Role, status.State));
                Assert.Equal(0, status.Consume!.Gaps);
                Assert.Equal(0, status.Consume.Damaged);
                Assert.NotNull(status.Consume.Latency);
                BusProducerStatus heard = Assert.Single(status.Consume.Producers);
                Assert.Equal(("gw-rt", publisher.Epoch, "live"), (heard.GatewayId, heard.Epoch, heard.State));
                Assert.Equal(InstrumentHealthState.Live, consumer.Status().Instruments.Single(i => i.Symbol == "NSE:RELIANCE").State);

                await publisher.DisposeAsync();
                Assert.True(await Eventually.TrueAsync(() => consumer.Status().Instruments.Single(i => i.Symbol == "NSE:RELIANCE").State == InstrumentHealthState.Error, TimeSpan.FromSeconds(10)));
                InstrumentStatus stopped = consumer.Status().Instruments.Single(i => i.Symbol == "NSE:RELIANCE");
                Assert.Contains("gw-rt stopped", stopped.Error, StringComparison.Ordinal);
                Assert.Equal("stopped", Assert.Single(consumer.BusStatus()!.Consume!.Producers).State);
            }
            finally
            {
                await publisher.DisposeAsync();
            }
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 2);
        }
    }
}
