namespace MarketFeed.Books;

/// <summary>What applying one book message did.</summary>
public enum BookApplyResult
{
    /// <summary>The book changed (a snapshot, or a diff in line).</summary>
    Applied,

    /// <summary>A diff the book already covers, or one that changed nothing: nothing to publish.</summary>
    Skipped,

    /// <summary>The book is waiting for a snapshot: the diff was kept to be replayed after it.</summary>
    Buffered,

    /// <summary>A gap or a checksum mismatch: the book is now resyncing and the feed must fetch a snapshot.</summary>
    ResyncNeeded,
}
