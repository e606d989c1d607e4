namespace MarketFeed.Tests.TestSupport;

/// <summary>Measures what code allocates on the calling thread in steady state.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes one of <paramref name="rounds"/> runs of <paramref name="round"/> allocated. Code that allocates
    /// per call does so in every round; the runtime's own one-off allocations on this thread (a method recompiled at a
    /// higher tier mid-loop, which a loaded machine delays into the measured rounds) land in one round only.
    /// </summary>
    public static long FewestPerRound(Action round, int rounds = 3)
    {
        long fewest = long.MaxValue;
        for (int i = 0; i < rounds && fewest > 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
