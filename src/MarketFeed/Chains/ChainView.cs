namespace MarketFeed.Chains;

/// <summary>
/// A copy of a live chain at one sequence number: the whole window (<see cref="IsSnapshot"/>) or only the strikes
/// that changed since the reader's previous view, each with the sequence number it changed at.
/// </summary>
public sealed class ChainView
{
    public required ChainDefinition Definition { get; init; }

    public required long Seq { get; init; }

    public required bool IsSnapshot { get; init; }

    public required ChainStats Stats { get; init; }

    /// <summary>Strikes ascending: the window's for a snapshot, the changed ones for an update.</summary>
    public required ChainRow[] Rows { get; init; }

    /// <summary>Strikes each side of the money the chain was asked for.</summary>
    public required int StrikesEachSide { get; init; }

    /// <summary>When it was computed (UTC).</summary>
    public required DateTime ComputedUtc { get; init; }
}
