namespace MarketFeed.Server.Api.Schemas;

/// <summary>The depth a tick carries (full mode): the venue's top levels, best first.</summary>
internal sealed class DepthResponse
{
    public required DepthLevelResponse[] Bids { get; init; }

    public required DepthLevelResponse[] Asks { get; init; }

    internal sealed class DepthLevelResponse
    {
        public required decimal? Price { get; init; }

        public required decimal? Qty { get; init; }

        /// <summary>Orders at the level (0 where the venue does not say).</summary>
        public required int Orders { get; init; }
    }
}
