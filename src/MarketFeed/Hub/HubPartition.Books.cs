using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Taps;

namespace MarketFeed.Hub;

/// <summary>Order books on the partition: updates applied in order with the ticks, the top-of-book tick derived, views posted.</summary>
internal sealed partial class HubPartition
{
    /// <summary>
    /// A book message: applied to the instrument's book by its continuity rules; a book waiting for a snapshot asks
    /// the feed for one; an applied change becomes a top-of-book and depth update through the tick path (so the
    /// quote book, quality and consumers see it like any other event) and a view for book watchers, who also get one
    /// when the book starts resyncing (so they know to distrust it).
    /// </summary>
    internal void ProcessBook(BookUpdate update)
    {
        QualityCounters counters = Counters;
        counters.BookMessages++;
        InstrumentId id = update.Instrument;
        if (WantedState(id) is not { } state)
        {
            return;
        }

        OrderBook? book = state.Book;
        if (book is null)
        {
            book = state.Book = new OrderBook(id, _hub.Options.Books, update.Continuity ?? UpdateIdContinuity.Instance);
            counters.Books++;
        }

        BookState before = book.State;
        (long gaps, long resyncs, long checksumFailures) = (book.Gaps, book.Resyncs, book.ChecksumFailures);
        BookApplyResult result = book.Apply(update);
        counters.BookGaps += book.Gaps - gaps;
        counters.BookResyncs += book.Resyncs - resyncs;
        counters.BookChecksumFailures += book.ChecksumFailures - checksumFailures;
        if (book.State != before)
        {
            counters.BooksSynced += book.State == BookState.Synced ? 1 : -1;
        }

        DateTime now = _hub.Time.GetUtcNow().UtcDateTime;
        if (result == BookApplyResult.ResyncNeeded
            || (result == BookApplyResult.Buffered && now - state.BookSnapshotRequested > BookSnapshotRetry))
        {
            state.BookSnapshotRequested = now;
            _hub.RequestBookSnapshot(id);
        }

        if (result != BookApplyResult.Applied)
        {
            if (book.State != before)
            {
                PostBook(id, book);
            }

            return;
        }

        // A replicated book (the bus) comes with its producer's own tick for the change: deriving one would double it.
        if (!update.Replicated)
        {
            ProcessTopOfBook(id, book, update.Source);
        }

        PostBook(id, book);
        foreach (Firehose firehose in _hub.Firehoses)
        {
            firehose.WriteBook(Index, book, _hub.Options.Books.Depth, update.Source);
        }
    }

    /// <summary>The top-of-book tick a book change makes: admitted like any tick, so quotes and candles follow the book.</summary>
    private void ProcessTopOfBook(InstrumentId id, OrderBook book, TickSource source)
    {
        var tick = new Tick(id)
        {
            Updates = TickFields.TopOfBook | TickFields.Depth,
            Mode = FeedMode.Full,
            Source = source,
            VenueSequence = book.LastUpdateId,
            ExchangeTime = book.ExchangeTime,
            ReceiveTime = book.ReceiveTime,
        };
        BookSide bids = book.Bids;
        BookSide asks = book.Asks;
        if (bids.Count > 0)
        {
            (tick.Bid, tick.BidQty) = (bids.PriceAt(0), bids.QuantityAt(0));
        }

        if (asks.Count > 0)
        {
            (tick.Ask, tick.AskQty) = (asks.PriceAt(0), asks.QuantityAt(0));
        }

        for (int level = 0; level < MarketDepth.Levels; level++)
        {
            if (level < bids.Count)
            {
                tick.Depth.SetBid(level, new DepthLevel(bids.PriceAt(level), bids.QuantityAt(level), 0));
            }

            if (level < asks.Count)
            {
                tick.Depth.SetAsk(level, new DepthLevel(asks.PriceAt(level), asks.QuantityAt(level), 0));
            }
        }

        Process(ref tick);
    }

    /// <summary>One view (taken only if someone watches the book) for every subscriber of the instrument that wants books.</summary>
    private void PostBook(InstrumentId id, OrderBook book)
    {
        Books.BookView? view = null;
        foreach (HubSubscriber subscriber in _hub.Index.For(id))
        {
            if (subscriber.WantsBooks)
            {
                view ??= Books.BookView.Of(book, _hub.Options.Books.Depth);
                subscriber.PostBook(view);
            }
        }
    }

    /// <summary>A copy of the book, or null when there is none or nobody subscribes to the instrument (its book is no longer kept up).</summary>
    internal Books.BookView? BookView(InstrumentId id, int depth) =>
        _hub.Subscriptions.IsWanted(id) && (uint)id.Value < (uint)_states.Length && _states[id.Value]?.Book is { } book
            ? Books.BookView.Of(book, depth)
            : null;

    /// <summary>Posts the current view of the instrument's book to one subscriber (a new book watcher starts from it).</summary>
    internal bool PostCurrentBook(HubSubscriber subscriber, InstrumentId id)
    {
        if (BookView(id, _hub.Options.Books.Depth) is not { } view)
        {
            return false;
        }

        subscriber.PostBook(view);
        return true;
    }
}
