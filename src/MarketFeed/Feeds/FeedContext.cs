using MarketFeed.Instruments;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

/// <summary>What a running feed is given by the host.</summary>
public sealed record FeedContext(
    IFeedSink Sink,
    SubscriptionManager Subscriptions,
    InstrumentRegistry Registry,
    TimeProvider Time,
    ILogger Logger);
