namespace MarketFeed.Books;

/// <summary>What a book's continuity hook says about a diff before it is applied.</summary>
public enum ContinuityVerdict
{
    /// <summary>Next in line: apply it.</summary>
    Apply,

    /// <summary>Already covered by the book (older than its last update): skip it, nothing is wrong.</summary>
    Stale,

    /// <summary>Something between the book and this diff is missing: the book must be resynchronised.</summary>
    Gap,
}
