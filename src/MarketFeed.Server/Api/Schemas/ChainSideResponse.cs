namespace MarketFeed.Server.Api.Schemas;

/// <summary>
/// One option of a strike. IVs in percent; a null IV has a flag saying why (<c>noPrice</c>, <c>belowIntrinsic</c>,
/// <c>aboveBound</c>, <c>noTime</c>, <c>outOfRange</c>). Greeks at the mid's IV, else the last price's: theta per
/// calendar day, vega per volatility point.
/// </summary>
internal sealed class ChainSideResponse
{
    public required string Symbol { get; init; }

    public required decimal? Ltp { get; init; }

    public required decimal? Bid { get; init; }

    public required decimal? Ask { get; init; }

    public required decimal? Volume { get; init; }

    public required decimal? Oi { get; init; }

    /// <summary>OI now minus the previous day's closing OI where the feed can say it, else minus the first OI the gateway saw this session (<see cref="OiChangeBasis"/>).</summary>
    public required decimal? OiChange { get; init; }

    /// <summary>The open interest at the previous trading day's close, as the feed reported it; null while unknown.</summary>
    public required decimal? PreviousOi { get; init; }

    /// <summary>What <see cref="OiChange"/> is measured from: <c>previousDay</c> or <c>session</c>; null without OI.</summary>
    public required string? OiChangeBasis { get; init; }

    public required double? IvMid { get; init; }

    public required string? IvMidFlag { get; init; }

    public required double? IvLast { get; init; }

    public required string? IvLastFlag { get; init; }

    public required double? Delta { get; init; }

    public required double? Gamma { get; init; }

    public required double? Theta { get; init; }

    public required double? Vega { get; init; }

    /// <summary>The venue's own Greeks, where it sends them.</summary>
    public required ChainVenueGreeksResponse? Venue { get; init; }
}
