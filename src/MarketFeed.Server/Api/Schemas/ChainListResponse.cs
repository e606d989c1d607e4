namespace MarketFeed.Server.Api.Schemas;

/// <summary>The underlyings that have option chains.</summary>
internal sealed class ChainListResponse
{
    public required ChainUnderlyingResponse[] Underlyings { get; init; }
}
