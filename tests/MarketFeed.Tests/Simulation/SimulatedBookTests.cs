using MarketFeed.Books;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Simulation;

public class SimulatedBookTests
{
    [Theory]
    [InlineData("BINANCE:BTCUSDT", FeedMode.Quote)]
    [InlineData("BINANCE:ETHUSDT", FeedMode.Full)]
    public void Every_step_keeps_a_sorted_uncrossed_book_around_the_last_price_and_the_tick_shows_its_top(string symbol, FeedMode mode)
    {
        (SimulatorMarket market, Instrument instrument) = Market(symbol, seed: 3);
        SimulatedBook book = market.BookOf(instrument.Id)!;
        DateTime now = TestInstruments.Ist(10, 0);
        for (int step = 0; step < 5_000; step++)
        {
            Tick tick = market.Next(instrument.Id, now = now.AddMilliseconds(250), mode);
            Assert.Equal((50, 50), (book.BidCount, book.AskCount));
            Assert.True(book.Bid(0).Price < book.Ask(0).Price);
            Assert.True(book.Bid(0).Price <= tick.Ltp && tick.Ltp <= book.Ask(0).Price);
            for (int level = 1; level < 50; level++)
            {
                Assert.True(book.Bid(level).Price < book.Bid(level - 1).Price);
                Assert.True(book.Ask(level).Price > book.Ask(level - 1).Price);
                Assert.True(book.Bid(level).Quantity.Raw > 0 && book.Ask(level).Quantity.Raw > 0);
                Assert.Equal(0, book.Bid(level).Price.Raw % instrument.TickSize.Raw);
            }

            Assert.Equal((book.Bid(0).Price, book.Bid(0).Quantity, book.Ask(0).Price, book.Ask(0).Quantity), (tick.Bid, tick.BidQty, tick.Ask, tick.AskQty));
            Assert.Equal(mode == FeedMode.Full ? MarketDepth.Levels : 0, tick.Depth.BidCount);
        }
    }

    [Fact]
    public void Diffs_applied_to_the_snapshot_rebuild_the_book_with_contiguous_update_ids_and_a_few_changes_each()
    {
        (SimulatorMarket market, Instrument instrument) = Market("BINANCE:BTCUSDT", seed: 7);
        SimulatedBook simulated = market.BookOf(instrument.Id)!;
        DateTime now = TestInstruments.Ist(10, 0);
        market.Next(instrument.Id, now, FeedMode.Quote);
        var replica = new OrderBook(instrument.Id, new BookOptions(), UpdateIdContinuity.Instance);
        var message = new BookUpdate();
        simulated.WriteSnapshot(message, instrument.Id, now);
        Assert.True(message.IsSnapshot);
        Assert.Equal(BookApplyResult.Applied, replica.Apply(message));

        long last = message.LastUpdateId;
        var changes = new List<int>();
        for (int step = 0; step < 2_000; step++)
        {
            market.Next(instrument.Id, now = now.AddMilliseconds(250), FeedMode.Quote);
            message.Clear();
            simulated.WriteDiff(message, instrument.Id, now);
            Assert.Equal(last + 1, message.FirstUpdateId);
            Assert.InRange(message.LastUpdateId, message.FirstUpdateId, message.FirstUpdateId + 2);
            last = message.LastUpdateId;
            changes.Add(message.BidCount + message.AskCount);
            Assert.Equal(BookApplyResult.Applied, replica.Apply(message));
            AssertSame(simulated, replica);
        }

        Assert.Equal(BookState.Synced, replica.State);
        Assert.Equal(0, replica.Gaps);
        Assert.InRange(changes.Average(), 4, 20);
    }

    [Fact]
    public void The_same_seed_gives_the_same_book_and_another_seed_another()
    {
        Assert.Equal(Run(seed: 5), Run(seed: 5));
        Assert.NotEqual(Run(seed: 5), Run(seed: 6));

        static string Run(int seed)
        {
            (SimulatorMarket market, Instrument instrument) = Market("BINANCE:ETHUSDT", seed);
            SimulatedBook book = market.BookOf(instrument.Id)!;
            DateTime now = TestInstruments.Ist(10, 0);
            var text = new System.Text.StringBuilder();
            var message = new BookUpdate();
            for (int step = 0; step < 200; step++)
            {
                market.Next(instrument.Id, now = now.AddSeconds(1), FeedMode.Quote);
                message.Clear();
                book.WriteDiff(message, instrument.Id, now);
                text.Append(message.FirstUpdateId).Append(':');
                foreach (BookLevelChange change in message.Bids)
                {
                    text.Append(change.Price).Append('x').Append(change.Quantity).Append(' ');
                }

                foreach (BookLevelChange change in message.Asks)
                {
                    text.Append(change.Price).Append('x').Append(change.Quantity).Append(' ');
                }
            }

            return text.ToString();
        }
    }

    [Fact]
    public void Only_the_crypto_instruments_have_books_and_the_option_turns_them_off()
    {
        var registry = new InstrumentRegistry();
        List<(SimulatedSpec, Instrument)> universe =
            [.. SimulatorUniverse.Build("sim", SimulatedHost.UniverseDate, aroundTheClock: true).Select(s => (s, registry.Register(s.Definition)))];
        var market = new SimulatorMarket(universe, seed: 1);
        var withoutBooks = new SimulatorMarket(universe, seed: 1, books: false);

        Assert.Equal(["BINANCE:BTCUSDT", "BINANCE:ETHUSDT"], registry.All().Where(i => market.BookOf(i.Id) is not null).Select(i => i.Symbol).Order());
        Assert.DoesNotContain(registry.All(), i => withoutBooks.BookOf(i.Id) is not null);
    }

    private static (SimulatorMarket Market, Instrument Instrument) Market(string symbol, int seed)
    {
        var registry = new InstrumentRegistry();
        var market = new SimulatorMarket(
            [.. SimulatorUniverse.Build("sim", SimulatedHost.UniverseDate, aroundTheClock: true).Select(s => (s, registry.Register(s.Definition)))], seed);
        return (market, registry.Resolve(symbol));
    }

    private static void AssertSame(SimulatedBook simulated, OrderBook replica)
    {
        Assert.Equal((simulated.BidCount, simulated.AskCount), (replica.Bids.Count, replica.Asks.Count));
        for (int level = 0; level < simulated.BidCount; level++)
        {
            Assert.Equal(simulated.Bid(level), new BookLevelChange(replica.Bids.PriceAt(level), replica.Bids.QuantityAt(level)));
            Assert.Equal(simulated.Ask(level), new BookLevelChange(replica.Asks.PriceAt(level), replica.Asks.QuantityAt(level)));
        }
    }
}
