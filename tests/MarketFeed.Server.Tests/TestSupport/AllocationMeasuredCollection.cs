namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>
/// Tests that measure the whole process's allocations: xUnit runs this collection after the parallel ones, one test at
/// a time, so no other test's allocations land in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasuredCollection
{
    public const string Name = "allocation measured";
}
