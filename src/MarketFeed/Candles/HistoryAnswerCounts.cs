namespace MarketFeed.Candles;

/// <summary>What <see cref="CandleHistoryNormalizer"/> did to one history answer: bars moved onto the grid, and bars skipped by cause.</summary>
public struct HistoryAnswerCounts
{
    /// <summary>Bars stamped off the grid and moved to the grid bar containing them (kept).</summary>
    public int Rebucketed;

    /// <summary>Bars that came before a bar they start earlier than (kept, sorted).</summary>
    public int OutOfOrder;

    /// <summary>Bars outside every session (skipped).</summary>
    public int OffGrid;

    /// <summary>A second bar for the same grid bar (the earlier one skipped).</summary>
    public int Duplicates;

    /// <summary>Bars not yet ended at the time asked for (skipped).</summary>
    public int NotEnded;

    /// <summary>Bars with impossible prices: missing, not positive, high below low, open or close outside the range (skipped).</summary>
    public int Invalid;

    public readonly int Skipped => OffGrid + Duplicates + NotEnded + Invalid;
}
