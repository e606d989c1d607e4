using MarketFeed.Books;
using MarketFeed.Bus.Contract;
using MarketFeed.Taps;

namespace MarketFeed.Bus.Publishing;

/// <summary>Book changes: each applied change goes out as a <c>book</c> snapshot of the book's best levels.</summary>
public sealed partial class BusPublisher
{
    // Only the firehose reader's task touches it: filled, written, cleared for each book change.
    private readonly BookUpdate _book = new();

    private void OnBook(in FirehoseBook change)
    {
        if (Resolve(change.Instrument) is not { } owned)
        {
            return;
        }

        // A snapshot of the best levels, so a consumer applies it whatever it saw before (no venue continuity to keep).
        _book.Clear();
        _book.Instrument = change.Instrument;
        _book.IsSnapshot = true;
        _book.FirstUpdateId = change.LastUpdateId;
        _book.LastUpdateId = change.LastUpdateId;
        _book.ExchangeTime = change.ExchangeTime;
        _book.ReceiveTime = change.ReceiveTime;
        _book.Source = change.Source;
        foreach (BookLevelChange level in change.Bids)
        {
            _book.AddBid(level.Price, level.Quantity);
        }

        foreach (BookLevelChange level in change.Asks)
        {
            _book.AddAsk(level.Price, level.Quantity);
        }

        OpenBatch open = Batch(owned, BusChannel.Book);
        open.Writer.AddBook(owned.Symbol, _store.Next(owned.Symbol, BusChannel.Book), _book);
        Added(owned, open);
    }
}
