namespace MarketFeed.Books;

/// <summary>
/// The one place a venue says how its book messages chain together. Binance's <c>U</c>/<c>u</c> update ids against
/// the snapshot's <c>lastUpdateId</c>, Coinbase's sequence numbers and Kraken's CRC32 checksums all plug in here;
/// the <see cref="OrderBook"/> does the rest (buffering while resyncing, counting gaps, resyncs and checksum failures).
/// Called only by the book's single writer.
/// </summary>
public interface IBookContinuity
{
    /// <summary>Before a diff is applied to a synced book whose last update id is <see cref="OrderBook.LastUpdateId"/>.</summary>
    ContinuityVerdict Admit(OrderBook book, BookUpdate diff);

    /// <summary>After a snapshot or diff was applied: false when the book no longer matches (e.g. a checksum differs).</summary>
    bool Verify(OrderBook book, BookUpdate update);
}
