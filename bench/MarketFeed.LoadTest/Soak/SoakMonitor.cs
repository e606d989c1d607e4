namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// The once-a-second judgement of a running soak. It marks each fault recovered at the first check after it (and
/// every fault overlapping it) ended where the feed is <c>connected</c> and a client has had a tick since; it excuses
/// the warm-up and every fault from its start until its recovery plus the stall time; outside those, a client with
/// no tick for longer than the stall time is a stall, and a feed that is not <c>connected</c> is an unexpected state.
/// </summary>
internal sealed class SoakMonitor(TimeSpan warmUp, TimeSpan stallAfter, int clients)
{
    private readonly bool[] _stalled = new bool[clients];
    private readonly List<string> _stalls = [];
    private readonly List<string> _states = [];
    private bool _badState;

    public IReadOnlyList<string> Stalls => _stalls;

    public IReadOnlyList<string> UnexpectedStates => _states;

    /// <summary>The longest time any client went without a tick, seen at a check outside warm-up and faults.</summary>
    public TimeSpan LongestGap { get; private set; }

    /// <summary>One check. <paramref name="lastTicks"/>: per client, the run time of its last tick (null: none yet).</summary>
    public void Observe(TimeSpan now, string feedState, IReadOnlyList<FaultWindow> windows, IReadOnlyList<TimeSpan?> lastTicks)
    {
        TimeSpan? latestTick = lastTicks.Max();
        bool anyActive = windows.Any(w => w.IsActive(now));
        if (!anyActive && feedState == "connected")
        {
            foreach (FaultWindow window in windows)
            {
                if (window.Recovered is null && window.Ended is { } ended && ended <= now && latestTick > ended)
                {
                    window.Recovered = now;
                }
            }
        }

        if (now < warmUp || windows.Any(w => w.Started <= now && (w.Recovered is not { } r || now < r + stallAfter)))
        {
            return;
        }

        for (int client = 0; client < lastTicks.Count; client++)
        {
            TimeSpan gap = now - (lastTicks[client] ?? TimeSpan.Zero);
            LongestGap = gap > LongestGap ? gap : LongestGap;
            if (gap > stallAfter && !_stalled[client])
            {
                _stalls.Add($"client {client} had no tick for {gap.TotalSeconds:F1} s at {DurationText.Format(Round(now))}, outside any fault and its recovery");
            }

            _stalled[client] = gap > stallAfter;
        }

        if (feedState != "connected" && !_badState)
        {
            _states.Add($"feed '{feedState}' at {DurationText.Format(Round(now))}, outside any fault and its recovery");
        }

        _badState = feedState != "connected";
    }

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Round(t.TotalSeconds));
}
