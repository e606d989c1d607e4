namespace MarketFeed.Chains;

/// <summary>An option root as listed: its underlying's symbol, the feed listing it and its expiries, soonest first.</summary>
public sealed record ChainListing(string Root, string UnderlyingSymbol, string Feed, IReadOnlyList<DateOnly> Expiries);
