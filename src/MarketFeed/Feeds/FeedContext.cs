using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

/// <summary>What a running feed is given by the host.</summary>
public sealed record FeedContext(
    IFeedSink Sink,
    SubscriptionManager Subscriptions,
    InstrumentRegistry Registry,
    TimeProvider Time,
    ILogger Logger)
{
    /// <summary>Sees every raw frame of the feed's connections, both directions (the journal's tap). Null: none.</summary>
    public IRawFrameTap? RawFrames { get; init; }

    /// <summary>
    /// Poll over REST only, never opening the stream (<c>Feeds:NAME:Mode = Polling</c>, for networks where the venue's
    /// socket is blocked). Honoured by feeds running a <see cref="FeedSession"/> with an <see cref="IQuotePoller"/>.
    /// </summary>
    public bool ForcePolling { get; init; }
}
