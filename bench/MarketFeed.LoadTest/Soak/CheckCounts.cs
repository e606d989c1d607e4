namespace MarketFeed.LoadTest.Soak;

/// <summary>What the clients' checks have seen so far, summed over clients.</summary>
internal readonly record struct CheckCounts(
    long Ticks,
    long WrongSymbol,
    long SeqRegressions,
    long Duplicates,
    long Mixed,
    long Unmatched,
    long Unverified,
    long ServerErrors,
    long Unreadable)
{
    /// <summary>Violations that fail the soak (unverified ticks are reported only: see <see cref="TickChecker"/>).</summary>
    public long Violations => WrongSymbol + SeqRegressions + Duplicates + Mixed + Unmatched + Unreadable;

    public static CheckCounts operator +(CheckCounts a, CheckCounts b) => new(
        a.Ticks + b.Ticks,
        a.WrongSymbol + b.WrongSymbol,
        a.SeqRegressions + b.SeqRegressions,
        a.Duplicates + b.Duplicates,
        a.Mixed + b.Mixed,
        a.Unmatched + b.Unmatched,
        a.Unverified + b.Unverified,
        a.ServerErrors + b.ServerErrors,
        a.Unreadable + b.Unreadable);
}
