using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Publishing;
using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Bus.Tests.Publishing;

public sealed class BusCandleRevisionTests
{
    [BrokerFact]
    public async Task A_backfilled_bar_goes_out_as_candleRevised_not_as_a_close()
    {
        string bus = TestBroker.NewBusName("rev");
        try
        {
            await using MarketFeedHost host = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 20 }, TimeProvider.System)]);
            await using MarketSubscription watch = host.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
            await using BusPublisher publisher = BusPublisher.Start(host, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, Symbols = "NSE:RELIANCE", GatewayId = "gw-rev" });
            await using StreamTap tap = await StreamTap.OpenAsync(bus, BusContract.ShardOf("NSE:RELIANCE", 2));
            var instrument = host.Resolve("NSE:RELIANCE");
            Candle? forming = null;
            for (int attempt = 0; attempt < 200 && forming is null; attempt++)
            {
                await Task.Delay(50);
                forming = (await host.Hub.GetCandlesAsync(instrument.Id, CandleInterval.OneMinute, 5)).Current;
            }

            Assert.NotNull(forming);
            DateTime start = forming.Value.Start.AddMinutes(-1);
            Price price = Price.FromDecimal(1234.5m);
            var bar = new Candle(start, start.AddMinutes(1), price, price, price, price, Quantity.FromUnits(10), 3, CandleFlags.Closed | CandleFlags.Backfilled);
            Assert.Equal(1, await host.Hub.ApplyCandleRevisionsAsync(instrument, CandleInterval.OneMinute, [bar], CancellationToken.None));

            Assert.True(await tap.WaitAsync(t => Candles(t).Any(c => c.Kind == BusEventKind.CandleRevised && c.Interval == CandleInterval.OneMinute), TimeSpan.FromSeconds(20)), "a candleRevised event in the stream");
            // The coarser timeframes built over that minute are revised too (their own events): the 1m bar is one.
            var revised = Candles(tap).Single(c => c.Kind == BusEventKind.CandleRevised && c.Interval == CandleInterval.OneMinute);
            Assert.Equal((CandleInterval.OneMinute, start, price), (revised.Interval, revised.Candle.Start, revised.Candle.Close));
            Assert.DoesNotContain(Candles(tap), c => c.Kind == BusEventKind.CandleClosed && c.Candle.Start == start);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 2);
        }
    }

    [BrokerFact]
    public async Task A_consumer_replaces_its_bar_with_the_one_its_producer_revised()
    {
        string bus = TestBroker.NewBusName("rev-consumer");
        try
        {
            await using MarketFeedHost producer = await MarketFeedHost.StartAsync([new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 20 }, TimeProvider.System)]);
            await using MarketSubscription watch = producer.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
            await using BusPublisher publisher = BusPublisher.Start(producer, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, Symbols = "NSE:RELIANCE", GatewayId = "gw-rev" });
            var feed = new BusFeed(new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, GatewayId = "gw-consumer" }, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
            await using MarketSubscription candles = consumer.Subscribe(["NSE:RELIANCE"], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] });
            var atProducer = producer.Resolve("NSE:RELIANCE");
            var atConsumer = consumer.Resolve("NSE:RELIANCE");

            // Both sides are past the bar to revise: it is closed here and there.
            DateTime start = default;
            Assert.True(await Eventually.TrueAsync(() =>
            {
                Candle? here = producer.Hub.GetCandlesAsync(atProducer.Id, CandleInterval.OneMinute, 5).GetAwaiter().GetResult().Current;
                Candle? there = consumer.Hub.GetCandlesAsync(atConsumer.Id, CandleInterval.OneMinute, 5).GetAwaiter().GetResult().Current;
                start = here?.Start.AddMinutes(-1) ?? default;
                return here is not null && there is not null && there.Value.Start > start;
            }, TimeSpan.FromSeconds(30)), "both sides form a bar after the one revised");

            // The producer's venue gave another bar for that minute (here, applied by hand as reconciliation does).
            Price price = Price.FromDecimal(1234.5m);
            var bar = new Candle(start, start.AddMinutes(1), price, price, price, price, Quantity.FromUnits(10), 3, CandleFlags.Closed | CandleFlags.Revised);
            Assert.Equal(1, await producer.Hub.ApplyCandleRevisionsAsync(atProducer, CandleInterval.OneMinute, [bar], CancellationToken.None));

            Assert.True(await Eventually.TrueAsync(() => consumer.Hub.GetCandlesAsync(atConsumer.Id, CandleInterval.OneMinute, 10).GetAwaiter().GetResult()
                .Closed.Any(c => c.Start == start && c.Close == price), TimeSpan.FromSeconds(20)), "the consumer's bar is the producer's revised one");
            Candle atTheConsumer = (await consumer.Hub.GetCandlesAsync(atConsumer.Id, CandleInterval.OneMinute, 10)).Closed.Single(c => c.Start == start);
            Assert.Equal((price, price, price, Quantity.FromUnits(10), CandleOrigin.Revised), (atTheConsumer.Open, atTheConsumer.High, atTheConsumer.Low, atTheConsumer.Volume, atTheConsumer.Origin));

            // And the consumer's subscribers hear of it as a revision, as the producer's do.
            Assert.True(await Eventually.TrueAsync(() => candles.Subscriber.TryReadRevision(out CandleRevision r) && r.New.Start == start, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 2);
        }
    }

    private static List<(BusEventKind Kind, CandleInterval Interval, Candle Candle)> Candles(StreamTap tap) =>
        [.. tap.Batches.SelectMany(b => b.Events.Events)
            .Where(e => e.Kind is BusEventKind.CandleRevised or BusEventKind.CandleClosed)
            .Select(e => ((CandleInterval Interval, Candle Candle, long Seq))e.Value! is var v ? (e.Kind, v.Interval, v.Candle) : default)];
}
