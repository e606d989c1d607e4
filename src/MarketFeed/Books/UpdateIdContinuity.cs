namespace MarketFeed.Books;

/// <summary>
/// Continuity by update-id ranges: each diff covers ids <c>[First, Last]</c>; it is stale when <c>Last</c> is not past
/// the book's last id, a gap when <c>First</c> skips past the next id, otherwise applied (a diff that straddles the
/// book's id, as the first one after a snapshot does, applies). Binance's documented rule; a venue that numbers
/// each message (First = Last = sequence) fits it too. Venues without checksums verify nothing after applying.
/// </summary>
public sealed class UpdateIdContinuity : IBookContinuity
{
    public static UpdateIdContinuity Instance { get; } = new();

    public ContinuityVerdict Admit(OrderBook book, BookUpdate diff) =>
        diff.LastUpdateId <= book.LastUpdateId ? ContinuityVerdict.Stale
        : diff.FirstUpdateId > book.LastUpdateId + 1 ? ContinuityVerdict.Gap
        : ContinuityVerdict.Apply;

    public bool Verify(OrderBook book, BookUpdate update) => true;
}
