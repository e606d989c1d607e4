namespace MarketFeed.Server.Api.Schemas;

/// <summary>An order book snapshot (written by <c>BookJson</c>): levels are <c>[price, quantity]</c> pairs, best first.</summary>
internal sealed class BookResponse
{
    /// <summary>Always <c>book</c>.</summary>
    public required string Type { get; init; }

    public required string Symbol { get; init; }

    /// <summary>+1 per applied snapshot or diff.</summary>
    public required long Seq { get; init; }

    public required bool Snapshot { get; init; }

    public required decimal[][] Bids { get; init; }

    public required decimal[][] Asks { get; init; }

    /// <summary><c>synced</c> or <c>resyncing</c>.</summary>
    public required string State { get; init; }

    /// <summary>The venue's update id the book reflects (0 for venues without ids).</summary>
    public required long LastUpdateId { get; init; }

    public required DateTimeOffset ExchangeTime { get; init; }

    public required DateTimeOffset ReceiveTime { get; init; }

    public required long Gaps { get; init; }

    public required long Resyncs { get; init; }

    public required long ChecksumFailures { get; init; }
}
