namespace MarketFeed.Books;

/// <summary>Order-book settings. Bound from configuration section <c>Hub:Books</c>.</summary>
public sealed class BookOptions
{
    /// <summary>Levels per side a book shows (API, streams, the tick's top of book come from its first). Default 20.</summary>
    public int Depth { get; init; } = 20;

    /// <summary>Levels per side a book keeps, so deletes near the top are refilled from below. Default 200.</summary>
    public int LevelsKept { get; init; } = 200;

    /// <summary>Diffs kept while a book waits for its snapshot; past this the wait starts over. Default 2,000.</summary>
    public int ResyncBuffer { get; init; } = 2_000;

    internal void Validate()
    {
        if (Depth < 1 || LevelsKept < Depth || ResyncBuffer < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Depth), $"Hub:Books: Depth ({Depth}) must be at least 1, LevelsKept ({LevelsKept}) at least Depth, ResyncBuffer ({ResyncBuffer}) at least 1.");
        }
    }
}
