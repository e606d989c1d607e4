namespace CePeBreakout;

public enum BreakoutPhase
{
    /// <summary>Recording each leg's opening-range high.</summary>
    OpeningRange,

    /// <summary>Range done; waiting for the first leg to trade above its range high.</summary>
    Watching,

    /// <summary>Locked onto the leg that broke out first; tracking its stop and target.</summary>
    Locked,

    StoppedOut,

    TargetHit,
}
