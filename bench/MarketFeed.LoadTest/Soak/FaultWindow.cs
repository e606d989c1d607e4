namespace MarketFeed.LoadTest.Soak;

/// <summary>One fault as it happened: when it was switched on and off (run time), and when the feed was seen whole again.</summary>
internal sealed class FaultWindow(FaultStep step)
{
    public FaultStep Step { get; } = step;

    public TimeSpan? Started { get; set; }

    public TimeSpan? Ended { get; set; }

    /// <summary>First check after the fault (and any fault overlapping it) ended with the feed connected and ticks flowing.</summary>
    public TimeSpan? Recovered { get; set; }

    /// <summary>The emulator did not take the fault (unknown name, HTTP error): the run fails, the schedule is wrong.</summary>
    public string? Error { get; set; }

    public bool IsActive(TimeSpan at) => Started is { } s && s <= at && (Ended is not { } e || at < e);
}
