namespace MarketFeed.Server.Api.Schemas;

/// <summary>One strike of a chain.</summary>
internal sealed class ChainStrikeResponse
{
    public required decimal Strike { get; init; }

    /// <summary>The chain's seq at which this strike last changed.</summary>
    public required long Seq { get; init; }

    /// <summary>The smile's point: the out-of-the-money side's IV in percent (puts below the forward, calls above).</summary>
    public required double? SmileIv { get; init; }

    /// <summary>Null when the venue lists no call at this strike.</summary>
    public required ChainSideResponse? Call { get; init; }

    public required ChainSideResponse? Put { get; init; }
}
