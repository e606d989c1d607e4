using System.Collections.Concurrent;
using MarketFeed.Books;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Venues;
using MarketFeed.Venues.Binance.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Bus.Tests.Consuming;

public sealed class BusBookTests
{
    private const string Symbol = "BINANCE:BTCUSDT";

    [BrokerFact]
    public async Task A_consumers_order_book_equals_the_producers_at_every_update_id_both_saw()
    {
        string bus = TestBroker.NewBusName("book");
        try
        {
            // The venue's emulator speaking Binance's bytes, a gateway on it (as `run --feed binance`), publishing.
            await using BinanceEmulator binance = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Binance:StreamUrl"] = binance.StreamUrl.ToString().TrimEnd('/'),
                ["Binance:RestUrl"] = binance.RestUrl.ToString().TrimEnd('/'),
                ["Binance:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-bus-book-").FullName,
            }).Build();
            await using MarketFeedHost producer = await MarketFeedHost.StartAsync(new MarketFeedOptions
            {
                Feed = "binance",
                Catalog = KnownVenues.Catalog,
                Configuration = configuration,
                Hub = new HubOptions { Partitions = 2 },
            });
            var produced = new ConcurrentDictionary<long, BookView>();
            await using MarketSubscription depth = producer.Subscribe([Symbol], new SubscriberOptions { Mode = FeedMode.Full, Books = true })
                .OnBook(view => produced[view.LastUpdateId] = view);
            await using BusPublisher publisher = BusPublisher.Start(producer, new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, Symbols = Symbol, GatewayId = "gw-book" });
            Assert.True(await Eventually.TrueAsync(() => produced.Count > 3, TimeSpan.FromSeconds(30)), "the producer's book is up");

            // A gateway on the bus feed (`--feed bus`) watching the same book.
            var feed = new BusFeed(new BusOptions { Url = TestBroker.Url, Name = bus, Shards = 2, StartFrom = "first", GatewayId = "consumer-book" }, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed]);
            var consumed = new ConcurrentQueue<BookView>();
            await using MarketSubscription watch = consumer.Subscribe([Symbol], new SubscriberOptions { Mode = FeedMode.Full, Books = true }).OnBook(consumed.Enqueue);

            // Book views are conflated for slow readers on both sides: compare wherever both saw the same update id.
            Assert.True(
                await Eventually.TrueAsync(() => consumed.Count(v => produced.ContainsKey(v.LastUpdateId) && v.Bids.Count > 0) >= 20, TimeSpan.FromSeconds(30)),
                $"{consumed.Count} consumer views, {consumed.Count(v => produced.ContainsKey(v.LastUpdateId))} at an update id the producer's watcher saw");
            foreach (BookView view in consumed.Where(v => produced.ContainsKey(v.LastUpdateId) && v.State == BookState.Synced))
            {
                BookView original = produced[view.LastUpdateId];
                Assert.Equal(original.Bids, view.Bids);
                Assert.Equal(original.Asks, view.Asks);
                Assert.Equal(original.ExchangeTime, view.ExchangeTime);
            }

            Assert.Equal(20, consumed.Last().Bids.Count);
            Assert.Equal(0, consumer.BusStatus()!.Consume!.Gaps);

            // Each book message is a copy of the producer's book: not a resync, and no second top-of-book tick beside
            // the producer's own (which would be dropped as a duplicate or flagged out of order).
            // A tick the venue itself sent out of order or twice is flagged or dropped at the producer and travels as it is:
            // the consumer may count what the producer counted, never more.
            var quality = consumer.Hub.Quality();
            var atProducer = producer.Hub.Quality();
            Assert.Equal(0L, quality.BookResyncs);
            Assert.True(quality.DroppedDuplicate <= atProducer.DroppedDuplicate && quality.FlaggedOutOfOrder <= atProducer.FlaggedOutOfOrder,
                $"consumer: {quality.DroppedDuplicate} duplicates, {quality.FlaggedOutOfOrder} out of order; producer: {atProducer.DroppedDuplicate}, {atProducer.FlaggedOutOfOrder}");
            BookView? now = await consumer.GetBookAsync(Symbol);
            Assert.Equal(BookState.Synced, now!.State);
        }
        finally
        {
            await BusCleanup.DeleteAsync(bus, 2);
        }
    }
}
