using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Tests.Books;

/// <summary>The book's life by Binance's documented procedure: buffer, snapshot, drop stale, straddle, gap, resync.</summary>
public class OrderBookTests
{
    private static readonly InstrumentId s_btc = new(1);

    private static OrderBook NewBook() => new(s_btc, new BookOptions { Depth = 5, LevelsKept = 20, ResyncBuffer = 4 }, UpdateIdContinuity.Instance);

    private static BookUpdate Snapshot(long lastUpdateId, params (decimal Price, decimal Qty)[] bids)
    {
        BookUpdate update = BookUpdate.Rent();
        update.Instrument = s_btc;
        update.IsSnapshot = true;
        update.FirstUpdateId = lastUpdateId;
        update.LastUpdateId = lastUpdateId;
        foreach ((decimal price, decimal qty) in bids)
        {
            update.AddBid(Price.FromDecimal(price), Quantity.FromDecimal(qty));
            update.AddAsk(Price.FromDecimal(price + 10), Quantity.FromDecimal(qty));
        }

        return update;
    }

    private static BookUpdate Diff(long first, long last, decimal bidPrice, decimal bidQty)
    {
        BookUpdate update = BookUpdate.Rent();
        update.Instrument = s_btc;
        update.FirstUpdateId = first;
        update.LastUpdateId = last;
        update.AddBid(Price.FromDecimal(bidPrice), Quantity.FromDecimal(bidQty));
        return update;
    }

    [Fact]
    public void Diffs_before_the_snapshot_are_kept_then_the_stale_ones_dropped_and_the_straddling_one_applied()
    {
        OrderBook book = NewBook();
        Assert.Equal(BookApplyResult.Buffered, book.Apply(Diff(95, 99, 100m, 9m)));
        Assert.Equal(BookApplyResult.Buffered, book.Apply(Diff(100, 103, 101m, 2m)));
        Assert.Equal(BookApplyResult.Buffered, book.Apply(Diff(104, 104, 100m, 0m)));
        Assert.Equal(BookState.Resyncing, book.State);

        Assert.Equal(BookApplyResult.Applied, book.Apply(Snapshot(101, (100m, 1m), (99m, 1m))));
        Assert.Equal(BookState.Synced, book.State);
        Assert.Equal(104, book.LastUpdateId);
        Assert.Equal(1, book.StaleDiffs);
        Assert.Equal(Price.FromDecimal(101m), book.Bids.PriceAt(0));
        Assert.Equal(Price.FromDecimal(99m), book.Bids.PriceAt(1));
        Assert.Equal(2, book.Bids.Count);
        Assert.Equal(0, book.Pending);
    }

    [Fact]
    public void A_diff_that_skips_update_ids_starts_a_resync_and_the_next_snapshot_completes_it()
    {
        OrderBook book = NewBook();
        book.Apply(Snapshot(10, (100m, 1m)));
        Assert.Equal(BookApplyResult.Applied, book.Apply(Diff(11, 12, 100m, 2m)));
        Assert.Equal(BookApplyResult.Skipped, book.Apply(Diff(11, 12, 100m, 2m)));

        Assert.Equal(BookApplyResult.ResyncNeeded, book.Apply(Diff(15, 16, 100m, 3m)));
        Assert.Equal((BookState.Resyncing, 1L), (book.State, book.Gaps));
        Assert.Equal(BookApplyResult.Buffered, book.Apply(Diff(17, 17, 98m, 1m)));

        long sequence = book.Sequence;
        Assert.Equal(BookApplyResult.Applied, book.Apply(Snapshot(16, (100m, 3m), (99m, 4m))));
        Assert.Equal((BookState.Synced, 1L, 17L), (book.State, book.Resyncs, book.LastUpdateId));
        Assert.Equal(3, book.Bids.Count);
        Assert.True(book.Sequence > sequence);
    }

    [Fact]
    public void A_snapshot_older_than_the_buffered_diffs_is_not_trusted()
    {
        OrderBook book = NewBook();
        book.Apply(Diff(50, 55, 100m, 1m));
        Assert.Equal(BookApplyResult.ResyncNeeded, book.Apply(Snapshot(40, (100m, 1m))));
        Assert.Equal(BookState.Resyncing, book.State);
    }

    [Fact]
    public void A_snapshot_that_takes_too_long_drops_the_buffer_and_asks_again()
    {
        OrderBook book = NewBook();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(BookApplyResult.Buffered, book.Apply(Diff(i, i, 100m, 1m)));
        }

        Assert.Equal(BookApplyResult.ResyncNeeded, book.Apply(Diff(4, 4, 100m, 1m)));
        Assert.Equal(0, book.Pending);
    }

    [Fact]
    public void A_failed_verification_counts_a_checksum_failure_and_resyncs()
    {
        var book = new OrderBook(s_btc, new BookOptions(), new RejectingContinuity());
        Assert.Equal(BookApplyResult.ResyncNeeded, book.Apply(Snapshot(1, (100m, 1m))));
        Assert.Equal((BookState.Resyncing, 1L), (book.State, book.ChecksumFailures));
    }

    private sealed class RejectingContinuity : IBookContinuity
    {
        public ContinuityVerdict Admit(OrderBook book, BookUpdate diff) => ContinuityVerdict.Apply;

        public bool Verify(OrderBook book, BookUpdate update) => false;
    }
}
