namespace MarketFeed.Server.Api.Schemas;

/// <summary>Greeks as the venue sent them (IV in the venue's unit, percent).</summary>
internal sealed class ChainVenueGreeksResponse
{
    public required double? Iv { get; init; }

    public required double? Delta { get; init; }

    public required double? Gamma { get; init; }

    public required double? Theta { get; init; }

    public required double? Vega { get; init; }
}
