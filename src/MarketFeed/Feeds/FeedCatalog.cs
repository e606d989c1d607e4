namespace MarketFeed.Feeds;

/// <summary>Feeds by name (<c>--feed NAME</c>). Every feed this build ships: <c>MarketFeed.Venues.KnownVenues.Catalog</c>.</summary>
public sealed class FeedCatalog
{
    private readonly Dictionary<string, IFeedFactory> _factories = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<IFeedFactory> Factories => _factories.Values;

    public FeedCatalog Add(IFeedFactory factory)
    {
        _factories[factory.Name] = factory;
        return this;
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IFeedFactory? factory) =>
        _factories.TryGetValue(name, out factory);

    public IFeedFactory Get(string name) =>
        TryGet(name, out IFeedFactory? factory)
            ? factory
            : throw new UnknownFeedException(name, _factories.Keys.Order().ToList());
}
