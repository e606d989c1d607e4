using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Hub;

public class MarketHubBookTests
{
    [Fact]
    public async Task A_book_subscriber_gets_the_current_book_on_watch_then_a_view_per_change_and_others_get_none()
    {
        await using var f = new HubFixture();
        HubSubscriber ticksOnly = f.Watch(f.Btc);
        await PublishAsync(f, Message(f, snapshot: true, 100, 100, bids: [(100, 1), (99, 2)], asks: [(101, 3)]));
        HubSubscriber watcher = f.Watch(f.Btc, new SubscriberOptions { Books = true });
        await f.Hub.FlushAsync();

        Assert.True(watcher.TryReadBook(out BookView? first));
        Assert.Equal((1L, BookState.Synced, 2, 1), (first.Sequence, first.State, first.Bids.Count, first.Asks.Count));

        await PublishAsync(f, Message(f, snapshot: false, 101, 101, bids: [(100, 0)], asks: [(100.5m, 4)]));
        Assert.True(watcher.TryReadBook(out BookView? second));
        Assert.Equal(2, second.Sequence);
        Assert.Equal([new BookLevelChange(Price.FromDecimal(99), Quantity.FromDecimal(2))], second.Bids);
        Assert.Equal(Price.FromDecimal(100.5m), second.Asks[0].Price);
        Assert.False(watcher.TryReadBook(out _));
        Assert.False(ticksOnly.TryReadBook(out _));

        // The book's top reached everyone through the tick path.
        Tick top = HubFixture.Drain(ticksOnly)[^1];
        Assert.Equal((Price.FromDecimal(99), Price.FromDecimal(100.5m)), (top.Bid, top.Ask));
    }

    [Fact]
    public async Task A_slow_book_reader_gets_only_the_latest_view()
    {
        await using var f = new HubFixture();
        HubSubscriber watcher = f.Watch(f.Btc, new SubscriberOptions { Books = true });
        await PublishAsync(
            f,
            Message(f, snapshot: true, 10, 10, bids: [(100, 1)], asks: [(101, 1)]),
            Message(f, snapshot: false, 11, 11, bids: [(100, 2)], asks: []),
            Message(f, snapshot: false, 12, 12, bids: [(100, 3)], asks: []));

        Assert.True(watcher.TryReadBook(out BookView? view));
        Assert.Equal((3L, Quantity.FromDecimal(3)), (view.Sequence, view.Bids[0].Quantity));
        Assert.False(watcher.TryReadBook(out _));
    }

    [Fact]
    public async Task A_gap_announces_a_resyncing_view_asks_for_a_snapshot_and_the_counters_follow()
    {
        await using var f = new HubFixture();
        var requests = new List<InstrumentId>();
        f.Hub.BookSnapshotNeeded += requests.Add;
        HubSubscriber watcher = f.Watch(f.Btc, new SubscriberOptions { Books = true, Ticks = false });
        await PublishAsync(f, Message(f, snapshot: true, 10, 10, bids: [(100, 1)], asks: [(101, 1)]));
        BookView synced = Assert.Single(Drain(watcher));
        await PublishAsync(f, Message(f, snapshot: false, 13, 13, bids: [(100, 2)], asks: []));

        Assert.Equal([f.Btc.Id], requests);
        BookView resyncing = Assert.Single(Drain(watcher));
        Assert.Equal((BookState.Resyncing, synced.Sequence), (resyncing.State, resyncing.Sequence));
        Assert.Equal(synced.Bids, resyncing.Bids);
        QualitySnapshot quality = f.Hub.Quality();
        Assert.Equal((1L, 0L, 1L, 0L), (quality.Books, quality.BooksSynced, quality.BookGaps, quality.BookResyncs));

        await PublishAsync(f, Message(f, snapshot: true, 13, 13, bids: [(100, 2)], asks: [(101, 1)]));
        BookView resynced = Assert.Single(Drain(watcher));
        Assert.Equal((BookState.Synced, 1L, 1L), (resynced.State, resynced.Gaps, resynced.Resyncs));
        quality = f.Hub.Quality();
        Assert.Equal((1L, 1L, 1L, 1L), (quality.Books, quality.BooksSynced, quality.BookGaps, quality.BookResyncs));
    }

    [Fact]
    public async Task Books_can_be_turned_on_later_and_a_book_nobody_subscribes_to_is_not_served()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Watch(f.Btc, new SubscriberOptions());
        await PublishAsync(f, Message(f, snapshot: true, 10, 10, bids: [(100, 1)], asks: [(101, 1)]));
        Assert.False(subscriber.TryReadBook(out _));

        subscriber.EnableBooks();
        Assert.True(await f.Hub.PostCurrentBookAsync(subscriber, f.Btc.Id));
        Assert.True(subscriber.TryReadBook(out BookView? view));
        Assert.Equal(Price.FromDecimal(100), view.Bids[0].Price);
        Assert.False(await f.Hub.PostCurrentBookAsync(subscriber, f.Infy.Id));

    }

    [Fact]
    public async Task A_book_nobody_subscribes_to_any_more_is_not_served()
    {
        await using var f = new HubFixture();
        HubSubscriber subscriber = f.Hub.CreateSubscriber(new SubscriberOptions { Books = true });
        f.Hub.Watch(subscriber, f.Btc.Id);
        Lease lease = f.Subscriptions.Acquire(f.Btc.Id, FeedMode.Quote);
        await PublishAsync(f, Message(f, snapshot: true, 10, 10, bids: [(100, 1)], asks: [(101, 1)]));
        Assert.Single((await f.Hub.GetBookAsync(f.Btc.Id, 5))!.Bids);

        lease.Dispose();
        Assert.Null(await f.Hub.GetBookAsync(f.Btc.Id, 5));
    }

    private static async Task PublishAsync(HubFixture f, params BookUpdate[] messages)
    {
        foreach (BookUpdate message in messages)
        {
            await f.Hub.PublishAsync(message);
        }

        await f.Hub.FlushAsync();
    }

    private static BookUpdate Message(HubFixture f, bool snapshot, long first, long last, (decimal Price, decimal Qty)[] bids, (decimal Price, decimal Qty)[] asks)
    {
        BookUpdate update = BookUpdate.Rent();
        update.Instrument = f.Btc.Id;
        update.IsSnapshot = snapshot;
        update.FirstUpdateId = first;
        update.LastUpdateId = last;
        update.ExchangeTime = f.Now;
        update.ReceiveTime = f.Now;
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

    private static List<BookView> Drain(HubSubscriber subscriber)
    {
        var views = new List<BookView>();
        while (subscriber.TryReadBook(out BookView? view))
        {
            views.Add(view);
        }

        return views;
    }
}
