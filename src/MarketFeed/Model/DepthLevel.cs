namespace MarketFeed.Model;

/// <summary>One price level of the order book.</summary>
public readonly record struct DepthLevel(Price Price, Quantity Quantity, int Orders);
