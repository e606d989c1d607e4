using System.Runtime.CompilerServices;

namespace MarketFeed.Model;

/// <summary>Five order-book levels stored inline, so a tick with depth is one struct and allocates nothing.</summary>
[InlineArray(MarketDepth.Levels)]
public struct DepthLevels
{
    private DepthLevel _element0;
}
