using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>One level of a book message: the new absolute quantity at a price (zero: the level is gone).</summary>
public readonly record struct BookLevelChange(Price Price, Quantity Quantity);
