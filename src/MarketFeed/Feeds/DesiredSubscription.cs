using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>One entry of the desired set: an instrument and the highest mode any lease asks for.</summary>
public readonly record struct DesiredSubscription(InstrumentId Instrument, FeedMode Mode);
