namespace MarketFeed.Books;

/// <summary>Whether a book can be trusted. Serialized lower case: <c>synced</c>, <c>resyncing</c>.</summary>
public enum BookState
{
    /// <summary>No snapshot yet, or a gap was found: diffs are kept until a snapshot arrives.</summary>
    Resyncing,

    /// <summary>Built from a snapshot and every diff since, in order.</summary>
    Synced,
}
