using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// An immutable copy of the top of one instrument's book, taken on its partition: what the API, the <c>books</c>
/// stream and in-process readers see. <see cref="Sequence"/> increases by one per applied venue message.
/// </summary>
public sealed record BookView(
    InstrumentId Instrument,
    BookState State,
    long Sequence,
    long LastUpdateId,
    DateTime ExchangeTime,
    DateTime ReceiveTime,
    IReadOnlyList<BookLevelChange> Bids,
    IReadOnlyList<BookLevelChange> Asks,
    long Gaps,
    long Resyncs,
    long ChecksumFailures)
{
    public static BookView Of(OrderBook book, int depth)
    {
        var bids = new BookLevelChange[Math.Min(depth, book.Bids.Count)];
        for (int i = 0; i < bids.Length; i++)
        {
            bids[i] = new BookLevelChange(book.Bids.PriceAt(i), book.Bids.QuantityAt(i));
        }

        var asks = new BookLevelChange[Math.Min(depth, book.Asks.Count)];
        for (int i = 0; i < asks.Length; i++)
        {
            asks[i] = new BookLevelChange(book.Asks.PriceAt(i), book.Asks.QuantityAt(i));
        }

        return new BookView(book.Instrument, book.State, book.Sequence, book.LastUpdateId, book.ExchangeTime, book.ReceiveTime, bids, asks, book.Gaps, book.Resyncs, book.ChecksumFailures);
    }
}
