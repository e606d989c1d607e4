using MarketFeed.Books;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Taps;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Taps;

public class FirehoseBookTests
{
    [Fact]
    public async Task Each_applied_book_change_arrives_as_the_books_best_levels_after_it_bounded_by_the_depth_and_a_gap_as_nothing()
    {
        await using var f = new HubFixture();
        f.Watch(f.Btc);
        await using Firehose firehose = f.Hub.AttachFirehose();

        // 25 bids (100, 99, … 76) and 2 asks; the hub's book depth is 20.
        await PublishAsync(f, Message(f, snapshot: true, 100, 100, [.. Enumerable.Range(0, 25).Select(i => (100m - i, 1m + i))], [(101m, 3m), (102m, 4m)]));
        await PublishAsync(f, Message(f, snapshot: false, 101, 101, [(100m, 0m)], [(100.5m, 7m)]));
        await PublishAsync(f, Message(f, snapshot: false, 105, 105, [(99m, 9m)], []));

        var reader = new BookReader { Books = [] };
        firehose.Drain(ref reader);
        Assert.Equal(2, reader.Books.Count);

        var (lastId, bids, asks) = reader.Books[0];
        Assert.Equal(100, lastId);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (100m - i, 1m + i)), bids);
        Assert.Equal([(101m, 3m), (102m, 4m)], asks);

        (lastId, bids, asks) = reader.Books[1];
        Assert.Equal(101, lastId);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (100m - i, 1m + i)), bids);
        Assert.Equal([(100.5m, 7m), (101m, 3m), (102m, 4m)], asks);
    }

    [Fact]
    public async Task A_book_read_out_of_the_ring_keeps_its_levels_after_the_slot_is_written_again()
    {
        await using var f = new HubFixture();
        f.Watch(f.Btc);
        await using Firehose firehose = f.Hub.AttachFirehose(new FirehoseOptions { Capacity = 4 });
        await PublishAsync(f, Message(f, snapshot: true, 1, 1, [(100m, 1m)], [(101m, 1m)]));
        Assert.True(TryReadBook(firehose, out FirehoseEvent first));

        for (int i = 2; i < 6; i++)
        {
            await PublishAsync(f, Message(f, snapshot: false, i, i, [(100m, i)], []));
            Assert.True(TryReadBook(firehose, out _));
        }

        Assert.Equal(Quantity.FromDecimal(1m), first.Book.Bids[0].Quantity);
    }

    [Fact]
    public void Writing_and_draining_book_changes_allocates_nothing_once_the_ring_has_gone_round()
    {
        var book = new OrderBook(new InstrumentId(7), new BookOptions(), UpdateIdContinuity.Instance);
        BookUpdate snapshot = BookUpdate.Rent();
        (snapshot.Instrument, snapshot.IsSnapshot, snapshot.FirstUpdateId, snapshot.LastUpdateId) = (new InstrumentId(7), true, 1, 1);
        for (int i = 0; i < 50; i++)
        {
            snapshot.AddBid(Price.FromDecimal(100m - i), Quantity.FromDecimal(1m));
            snapshot.AddAsk(Price.FromDecimal(101m + i), Quantity.FromDecimal(1m));
        }

        book.Apply(snapshot);
        var ring = new FirehoseRing(8);
        var reader = new CountingReader();
        void Round()
        {
            for (int i = 0; i < 1_000; i++)
            {
                Assert.True(ring.TryWriteBook(book, 20, TickSource.Stream));
                ring.Drain(ref reader, 1);
            }
        }

        Round();
        Assert.Equal(0, Allocations.FewestPerRound(Round));
        Assert.Equal(2_000 * 20, reader.Bids);
    }

    private static bool TryReadBook(Firehose firehose, out FirehoseEvent book)
    {
        while (firehose.TryRead(out book))
        {
            if (book.Kind == FirehoseEventKind.Book)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task PublishAsync(HubFixture f, BookUpdate message)
    {
        await f.Hub.PublishAsync(message);
        await f.Hub.FlushAsync();
    }

    private static BookUpdate Message(HubFixture f, bool snapshot, long first, long last, (decimal Price, decimal Qty)[] bids, (decimal Price, decimal Qty)[] asks)
    {
        BookUpdate update = BookUpdate.Rent();
        (update.Instrument, update.IsSnapshot, update.FirstUpdateId, update.LastUpdateId, update.ExchangeTime, update.ReceiveTime) = (f.Btc.Id, snapshot, first, last, f.Now, f.Now);
        foreach ((decimal price, decimal qty) in bids)
        {
            update.AddBid(Price.FromDecimal(price), Quantity.FromDecimal(qty));
        }

        foreach ((decimal price, decimal qty) in asks)
        {
            update.AddAsk(Price.FromDecimal(price), Quantity.FromDecimal(qty));
        }

        return update;
    }

    private struct CountingReader : IFirehoseReader
    {
        public long Bids;

        public readonly void OnTick(in Tick tick)
        {
        }

        public readonly void OnCandleClosed(in CandleEvent candle)
        {
        }

        public void OnBook(in FirehoseBook book) => Bids += book.Bids.Length;
    }

    private struct BookReader : IFirehoseReader
    {
        public List<(long LastUpdateId, (decimal, decimal)[] Bids, (decimal, decimal)[] Asks)> Books;

        public readonly void OnTick(in Tick tick)
        {
        }

        public readonly void OnCandleClosed(in CandleEvent candle)
        {
        }

        public readonly void OnBook(in FirehoseBook book) =>
            Books.Add((book.LastUpdateId, Levels(book.Bids), Levels(book.Asks)));

        private static (decimal, decimal)[] Levels(ReadOnlySpan<BookLevelChange> levels)
        {
            var result = new (decimal, decimal)[levels.Length];
            for (int i = 0; i < levels.Length; i++)
            {
                result[i] = (levels[i].Price.ToDecimal(), levels[i].Quantity.ToDecimal());
            }

            return result;
        }
    }
}
