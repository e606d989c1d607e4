using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>An instrument's open interest at the close of the previous trading day (<see cref="IPreviousOpenInterestSource"/>).</summary>
public readonly record struct PreviousOpenInterest(InstrumentId Instrument, Quantity Oi);
