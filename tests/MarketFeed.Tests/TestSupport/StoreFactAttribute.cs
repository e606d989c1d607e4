using Xunit.Sdk;

namespace MarketFeed.Tests.TestSupport;

/// <summary>
/// A test of the shared store contract (declared once, run by each store's subclass): in a class marked
/// <see cref="INeedsPostgres"/> it is skipped, with the reason, when no PostgreSQL answers (and run, failing, under
/// <c>CI=true</c>), like <see cref="PostgresFactAttribute"/>.
/// </summary>
[XunitTestCaseDiscoverer("MarketFeed.Tests.TestSupport.StoreFactDiscoverer", "MarketFeed.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute
{
}
