namespace MarketFeed.Tests.TestSupport;

/// <summary>Marks a test class whose <see cref="StoreFactAttribute"/> tests run against the real PostgreSQL.</summary>
public interface INeedsPostgres
{
}
