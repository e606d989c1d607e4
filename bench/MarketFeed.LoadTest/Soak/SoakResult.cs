namespace MarketFeed.LoadTest.Soak;

/// <summary>A finished soak: its samples, the faults as they happened, and why it failed (empty: it passed).</summary>
internal sealed record SoakResult(
    IReadOnlyList<SoakSample> Samples,
    IReadOnlyList<FaultWindow> Faults,
    CheckCounts Checks,
    MemoryGrowth.Result Memory,
    IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
