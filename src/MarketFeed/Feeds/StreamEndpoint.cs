namespace MarketFeed.Feeds;

/// <summary>Where one connection attempt goes: the socket URL and any headers, from credentials read for this attempt.</summary>
public sealed record StreamEndpoint(Uri Uri, IReadOnlyDictionary<string, string>? Headers = null);
