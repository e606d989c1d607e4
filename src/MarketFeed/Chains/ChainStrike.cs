using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Chains;

/// <summary>One listed strike of a chain: its call and put (either may be missing from the venue's list).</summary>
public sealed record ChainStrike(Price Strike, Instrument? Call, Instrument? Put);
