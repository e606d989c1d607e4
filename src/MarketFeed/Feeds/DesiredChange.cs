using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>The effective mode of one instrument changed: null before = newly wanted, null after = no longer wanted.</summary>
public readonly record struct DesiredChange(InstrumentId Instrument, FeedMode? Before, FeedMode? After);
