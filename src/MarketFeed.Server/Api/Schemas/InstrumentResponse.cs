namespace MarketFeed.Server.Api.Schemas;

/// <summary>One instrument of the registry (written by <c>InstrumentJson</c>).</summary>
internal sealed class InstrumentResponse
{
    /// <summary>Canonical symbol, <c>EXCHANGE:NAME</c>.</summary>
    public required string Symbol { get; init; }

    public required string Exchange { get; init; }

    public required string? Name { get; init; }

    /// <summary><c>equity</c>, <c>index</c>, <c>future</c>, <c>option</c>, <c>crypto</c>, …</summary>
    public required string Kind { get; init; }

    public required string? Underlying { get; init; }

    /// <summary>Expiry date (<c>yyyy-MM-dd</c>) of a derivative.</summary>
    public required string? Expiry { get; init; }

    public required decimal? Strike { get; init; }

    public required decimal? TickSize { get; init; }

    public required long LotSize { get; init; }

    /// <summary>Smallest quantity increment, where the venue trades fractions (crypto).</summary>
    public decimal? QuantityStep { get; init; }

    /// <summary>The feed it comes from.</summary>
    public required string Feed { get; init; }
}
