namespace MarketFeed.Server.Api.Schemas;

/// <summary>
/// The tick as the API and streams serve it (written by <c>TickJson</c>; this type only describes it in the OpenAPI
/// document, and a test checks live responses against that description). Prices and quantities are decimal numbers,
/// null when the venue has not sent them; times are ISO 8601 in the instrument's exchange time zone.
/// </summary>
internal sealed class TickResponse
{
    /// <summary>Always <c>tick</c>.</summary>
    public required string Type { get; init; }

    public required string Symbol { get; init; }

    /// <summary>The feed that delivered it.</summary>
    public required string Feed { get; init; }

    /// <summary>Per-instrument sequence number: strictly increasing, gap-free for a subscriber that loses nothing.</summary>
    public required long Seq { get; init; }

    public required DateTimeOffset? ExchangeTime { get; init; }

    public required DateTimeOffset ReceiveTime { get; init; }

    public required decimal? Ltp { get; init; }

    public required decimal? Ltq { get; init; }

    public required decimal? Atp { get; init; }

    /// <summary>Cumulative volume of the day.</summary>
    public required decimal? Volume { get; init; }

    public required decimal? Bid { get; init; }

    public required decimal? BidQty { get; init; }

    public required decimal? Ask { get; init; }

    public required decimal? AskQty { get; init; }

    public required decimal? Open { get; init; }

    public required decimal? High { get; init; }

    public required decimal? Low { get; init; }

    /// <summary>Previous session's close.</summary>
    public required decimal? Close { get; init; }

    public required decimal? Change { get; init; }

    public required double? ChangePercent { get; init; }

    /// <summary>Open interest (derivatives).</summary>
    public required decimal? Oi { get; init; }

    /// <summary>Implied volatility in the venue's unit (percent); present only where the venue sends Greeks (options).</summary>
    public double? Iv { get; init; }

    /// <summary>Delta; present only with <see cref="Iv"/>.</summary>
    public double? Delta { get; init; }

    public double? Gamma { get; init; }

    public double? Theta { get; init; }

    public double? Vega { get; init; }

    /// <summary><c>stream</c>, <c>poll</c>, <c>replay</c> or <c>history</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Quality flags (<c>outOfOrder</c>, <c>outlier</c>, <c>clockAhead</c>); absent when none.</summary>
    public string[]? Flags { get; init; }

    /// <summary>Market depth, best first; present only in full mode.</summary>
    public DepthResponse? Depth { get; init; }
}
