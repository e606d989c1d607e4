namespace MarketFeed.Server.Api.Schemas;

/// <summary>An underlying with options: the options' root, the underlying's symbol, the feed, and the expiries (yyyy-MM-dd) soonest first.</summary>
internal sealed class ChainUnderlyingResponse
{
    public required string Root { get; init; }

    public required string Underlying { get; init; }

    public required string Feed { get; init; }

    public required string[] Expiries { get; init; }
}
