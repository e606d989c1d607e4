namespace MarketFeed.Feeds;

public sealed class UnknownFeedException(string name, IReadOnlyList<string> known)
    : Exception($"unknown feed '{name}': available feeds are {string.Join(", ", known)}")
{
    public string Name { get; } = name;
}
