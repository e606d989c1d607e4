using System.Collections.Concurrent;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Hub;

/// <summary>
/// The promise the product is built on: a subscriber never receives a tick, quote or candle of an instrument it
/// did not ask for, and every value it receives is exactly what the feed sent for that instrument — across
/// thousands of random subscribe / unsubscribe / reconnect steps, with a venue that ignores unsubscribes, many
/// instruments and CE/PE pairs of the same strike. The crypto instruments also have order books: their ticks carry
/// only some fields and the hub derives top-of-book updates from their books, so a delivered tick is matched on the
/// fields it updates, book-derived ones against a replica of each book built from what the simulator sent.
/// </summary>
public class InstrumentIsolationPropertyTests
{
    private static readonly string[] s_pool =
    [
        "NFO:NIFTY26NOV24000CE", "NFO:NIFTY26NOV24000PE", "NFO:NIFTY26NOV24050CE", "NFO:NIFTY26NOV24050PE",
        "NFO:NIFTY26D0124000CE", "NFO:NIFTY26D0124000PE", "NFO:NIFTY26D0123950CE", "NFO:NIFTY26D0123950PE",
        "NSE:RELIANCE", "NSE:INFY", "NSE:TCS", "NFO:NIFTY26NOVFUT", "BINANCE:BTCUSDT", "BINANCE:ETHUSDT",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_subscribe_unsubscribe_reconnect_never_mixes_instruments(int seed)
    {
        (MarketFeedHost host, SimulatorFeed feed, var clock) = await SimulatedHost.StartAsync(new SimulatorOptions { Seed = seed, IgnoreUnsubscribes = true });
        await using MarketFeedHost owned = host;
        var sent = new SentLog();
        feed.Sent += sent.Add;
        feed.BookSent += sent.AddBook;
        Instrument[] pool = s_pool.Select(host.Resolve).ToArray();
        var random = new Random(seed);
        var consumers = Enumerable.Range(0, 4).Select(i => new Consumer(host.Subscribe([], new SubscriberOptions
        {
            Mode = (FeedMode)(1 + (i % 3)),
            TickPolicy = i == 3 ? TickQueuePolicy.ConflateLatest : TickQueuePolicy.DropOldest,
            CandleIntervals = [CandleInterval.OneMinute],
        }))).ToArray();

        int delivered = 0;
        for (int step = 0; step < 3_000; step++)
        {
            Consumer consumer = consumers[random.Next(consumers.Length)];
            Instrument instrument = pool[random.Next(pool.Length)];
            switch (random.Next(10))
            {
                case < 3:
                    consumer.Subscription.Add(instrument);
                    consumer.Wanted.Add(instrument.Id);
                    break;
                case < 5:
                    consumer.Subscription.Remove(instrument.Symbol);
                    consumer.Wanted.Remove(instrument.Id);
                    break;
                case < 8:
                    await feed.EmitAsync(random.Next(1, 40));
                    break;
                case 8:
                    feed.Disconnect();
                    await feed.EmitAsync(5);
                    feed.Connect();
                    break;
                default:
                    await host.Hub.FlushAsync();
                    delivered += consumer.DrainAndVerify(sent);
                    break;
            }
        }

        await host.Hub.FlushAsync();
        foreach (Consumer consumer in consumers)
        {
            delivered += consumer.DrainAndVerify(sent);
        }

        // The scenario really exercised what it claims: deliveries happened and the venue's ignored unsubscribes were dropped.
        Assert.True(delivered > 1_000, $"only {delivered} ticks delivered");
        Assert.Contains(consumers, c => c.BookDerived > 0);
        Assert.True(host.Hub.Quality().DroppedUnwanted > 0);
        Assert.True(feed.Health.Reconnects > 10);
        AssertQuoteBookHoldsOnlyEachInstrumentsOwnValues(host, pool, sent);
        foreach (Consumer consumer in consumers)
        {
            await consumer.Subscription.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_emission_while_subscriptions_change_never_delivers_an_unwanted_instrument()
    {
        (MarketFeedHost host, SimulatorFeed feed, var clock) = await SimulatedHost.StartAsync(new SimulatorOptions { Seed = 9, IgnoreUnsubscribes = true });
        await using MarketFeedHost owned = host;
        var sent = new SentLog();
        feed.Sent += sent.Add;
        feed.BookSent += sent.AddBook;
        Instrument[] pool = s_pool.Select(host.Resolve).ToArray();
        var consumer = new Consumer(host.Subscribe([], new SubscriberOptions { CandleIntervals = [CandleInterval.OneMinute] }));
        using var stop = new CancellationTokenSource();
        Task emitter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await feed.EmitAsync(50);
            }
        });

        var random = new Random(9);
        int delivered = 0;

        // At least 2,000 interest changes, and on until 1,000 ticks were checked while changes raced with emission.
        for (int step = 0; (step < 2_000 || delivered < 1_000) && step < 1_000_000; step++)
        {
            Instrument instrument = pool[random.Next(pool.Length)];
            if (random.Next(2) == 0)
            {
                consumer.Subscription.Add(instrument);
                consumer.Wanted.Add(instrument.Id);
            }
            else
            {
                consumer.Subscription.Remove(instrument.Symbol);
                consumer.Wanted.Remove(instrument.Id);
            }

            // Read while ticks are still flowing: whatever is pending must belong to what is wanted right now.
            delivered += consumer.DrainAndVerify(sent);
            if (step % 100 == 0)
            {
                await Task.Yield();
            }
        }

        await stop.CancelAsync();
        await emitter;
        Assert.True(delivered >= 1_000, $"only {delivered} ticks delivered");
        await consumer.Subscription.DisposeAsync();
    }

    private static void AssertQuoteBookHoldsOnlyEachInstrumentsOwnValues(MarketFeedHost host, Instrument[] pool, SentLog sent)
    {
        foreach (Instrument instrument in pool)
        {
            if (host.Hub.Quotes.TryGetLatest(instrument.Id, out Tick latest))
            {
                Assert.Equal(instrument.Id, latest.Instrument);
                Assert.True(sent.FindFrom(latest, 0) >= 0, $"the quote of {instrument.Symbol} is not a tick the feed sent for it");
            }
        }
    }

    /// <summary>Every tick the feed sent, per instrument, in order; after each book message, its book's top as a tick.</summary>
    private sealed class SentLog
    {
        private readonly ConcurrentDictionary<InstrumentId, List<Tick>> _byInstrument = new();
        private readonly ConcurrentDictionary<InstrumentId, OrderBook> _books = new();

        public void AddBook(BookUpdate update)
        {
            OrderBook book = _books.GetOrAdd(update.Instrument, id => new OrderBook(id, new BookOptions(), UpdateIdContinuity.Instance));
            book.Apply(update);
            var top = new Tick(update.Instrument) { Updates = TickFields.TopOfBook | TickFields.Depth };
            (top.Bid, top.BidQty, top.Ask, top.AskQty) = (book.Bids.PriceAt(0), book.Bids.QuantityAt(0), book.Asks.PriceAt(0), book.Asks.QuantityAt(0));
            for (int level = 0; level < MarketDepth.Levels; level++)
            {
                top.Depth.SetBid(level, new DepthLevel(book.Bids.PriceAt(level), book.Bids.QuantityAt(level), 0));
                top.Depth.SetAsk(level, new DepthLevel(book.Asks.PriceAt(level), book.Asks.QuantityAt(level), 0));
            }

            Add(top);
        }

        public void Add(Tick tick)
        {
            List<Tick> list = _byInstrument.GetOrAdd(tick.Instrument, _ => []);
            lock (list)
            {
                list.Add(tick);
            }
        }

        /// <summary>Index of the first sent tick at or after <paramref name="from"/> that <paramref name="tick"/> matches, or −1.</summary>
        public int FindFrom(Tick tick, int from)
        {
            if (!_byInstrument.TryGetValue(tick.Instrument, out List<Tick>? list))
            {
                return -1;
            }

            lock (list)
            {
                for (int i = from; i < list.Count; i++)
                {
                    if (Matches(list[i], in tick))
                    {
                        return i;
                    }
                }
            }

            return -1;
        }

        /// <summary>A whole tick equals what was sent; a partial one (merged by the hub) on the fields it updates.</summary>
        private static bool Matches(in Tick sent, in Tick delivered)
        {
            TickFields fields = delivered.Updates;
            if (fields == TickFields.All)
            {
                return sent.SameMarketDataAs(in delivered);
            }

            return sent.Instrument == delivered.Instrument
                && ((fields & TickFields.Trade) == 0
                    || (sent.Ltp == delivered.Ltp && sent.Ltq == delivered.Ltq && sent.VenueSequence == delivered.VenueSequence && sent.ExchangeTime == delivered.ExchangeTime))
                && ((fields & TickFields.TopOfBook) == 0
                    || (sent.Bid == delivered.Bid && sent.BidQty == delivered.BidQty && sent.Ask == delivered.Ask && sent.AskQty == delivered.AskQty))
                && ((fields & TickFields.Depth) == 0 || sent.Depth.SameAs(delivered.Depth))
                && ((fields & TickFields.DayStats) == 0
                    || (sent.Open == delivered.Open && sent.High == delivered.High && sent.Low == delivered.Low && sent.Close == delivered.Close));
        }
    }

    private sealed class Consumer(MarketSubscription subscription)
    {
        public MarketSubscription Subscription { get; } = subscription;

        private readonly Dictionary<InstrumentId, int> _cursor = [];

        public HashSet<InstrumentId> Wanted { get; } = [];

        /// <summary>Delivered ticks the hub derived from a book.</summary>
        public int BookDerived { get; private set; }

        /// <summary>
        /// Every tick read must be of a wanted instrument and, per instrument, the ticks read must be an in-order
        /// subsequence of what the feed sent for that instrument: same values, nothing from another instrument.
        /// </summary>
        public int DrainAndVerify(SentLog sent)
        {
            int count = 0;
            while (Subscription.Subscriber.TryReadTick(out Tick tick))
            {
                Assert.Contains(tick.Instrument, Wanted);

                int at = sent.FindFrom(tick, _cursor.GetValueOrDefault(tick.Instrument));
                Assert.True(at >= 0, "a delivered tick is not, in order, one the feed sent for that instrument");
                _cursor[tick.Instrument] = at + 1;
                count++;
                BookDerived += tick.Updates == (TickFields.TopOfBook | TickFields.Depth) ? 1 : 0;
            }

            while (Subscription.Subscriber.TryReadCandle(out CandleEvent candle))
            {
                Assert.Contains(candle.Instrument, Wanted);
            }

            return count;
        }
    }
}
