using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// A venue whose books are rebuilt from a snapshot fetched on request (Binance's REST depth). The feed session asks
/// it when the hub says a book needs one — new, after a gap, after a failed check — one instrument at a time and
/// without touching the connection; venues that resubscribe instead implement it by sending control messages.
/// </summary>
public interface IBookSnapshotSource
{
    /// <summary>The current book of <paramref name="instrument"/> as a snapshot message, or null when the venue has none for it.</summary>
    Task<BookUpdate?> GetBookSnapshotAsync(InstrumentId instrument, CancellationToken cancellationToken);
}
