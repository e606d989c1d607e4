namespace MarketFeed.Server.Api.Schemas;

/// <summary>The gateway's own subscriptions (what <c>/api/subscriptions</c> added, plus the configured ones).</summary>
internal sealed class SubscriptionsResponse
{
    public required SubscriptionEntry[] Subscriptions { get; init; }

    internal sealed class SubscriptionEntry
    {
        public required string Symbol { get; init; }

        /// <summary><c>ltp</c>, <c>quote</c> or <c>full</c>.</summary>
        public required string Mode { get; init; }
    }
}
