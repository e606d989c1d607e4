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
