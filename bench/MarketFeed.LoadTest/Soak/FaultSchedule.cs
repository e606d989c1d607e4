namespace MarketFeed.LoadTest.Soak;

/// <summary>One line of a fault schedule: at <see cref="Offset"/> turn <see cref="Spec"/> on, and off again after <see cref="Duration"/>.</summary>
internal sealed record FaultStep(TimeSpan Offset, string Spec, TimeSpan Duration)
{
    public TimeSpan End => Offset + Duration;

    /// <summary>The emulator's fault names in the spec, without <c>drop</c> (an action, not a state) or values (<c>ratelimit=20</c> → <c>ratelimit</c>).</summary>
    public IEnumerable<string> States => Spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(part => part != FaultSchedule.Drop)
        .Select(part => part.Split('=', 2)[0]);

    public bool Drops => Spec.Split(',', StringSplitOptions.TrimEntries).Contains(FaultSchedule.Drop);

    public override string ToString() => $"{DurationText.Format(Offset)} {Spec} {DurationText.Format(Duration)}";
}

/// <summary>
/// What the soak does to the emulator and when, as text: one <c>OFFSET SPEC DURATION</c> per line (offsets from the
/// start of the run), <c>#</c> comments, and an optional <c>repeat PERIOD</c> that replays the list every period for
/// the whole run. SPEC is what <c>POST /_emulator/faults?spec=</c> takes (comma-separated; each is turned off with
/// its <c>-</c> form when the duration ends), plus <c>drop</c>, which aborts the emulator's sockets
/// (<c>POST /_emulator/drop</c>) when the step starts. New fault kinds need no code here: add a line.
/// </summary>
internal sealed class FaultSchedule
{
    public const string Drop = "drop";

    /// <summary>The documented 1 h run: every kind of fault once per 10 minutes, after a 2-minute fault-free warm-up.</summary>
    public const string DefaultText = """
        # offset  spec                  duration
        repeat 10m
        2m        drop                  0s     # every socket aborted at once: reconnect and resubscribe
        3m        silent                25s    # open but mute, longer than the 10 s idle timeout: the watchdog must act
        4m        malformed             20s    # truncated frames, unknown packet lengths, non-JSON text in the stream
        4m30s     oddtext               20s    # JSON that is no venue message ([], 42, {"type":12}, huge error text)
        5m        absurd                20s    # a price of 10,000,000, high below low, crossed book, trade above volume
        6m        refuse,drop           45s    # stream refused for longer than failover (15 s): REST polling takes over
        6m30s     ratelimit=20          10s    # 429s on the REST calls of the polling fallback
        7m30s     timejump=300          15s    # exchange timestamps 5 minutes ahead
        8m        auth,drop             20s    # 403 on connect and REST, then recovery with the same credentials
        9m        oversized=33554432    0s     # one 32 MiB frame on every socket
        9m20s     restdown,refuse,drop  30s    # stream and REST both down: disconnected, then recovery
        """;

    public FaultSchedule(IReadOnlyList<FaultStep> steps, TimeSpan? repeat)
    {
        Steps = steps;
        Repeat = repeat;
    }

    public IReadOnlyList<FaultStep> Steps { get; }

    public TimeSpan? Repeat { get; }

    public static FaultSchedule Default { get; } = Parse(DefaultText);

    public static FaultSchedule None { get; } = new([], null);

    public static FaultSchedule Parse(string text)
    {
        var steps = new List<FaultStep>();
        TimeSpan? repeat = null;
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words is ["repeat", string period])
            {
                repeat = Duration(period, number);
                if (repeat <= TimeSpan.Zero)
                {
                    throw new FormatException($"fault schedule line {number}: repeat needs a period above zero");
                }

                continue;
            }

            if (words.Length != 3)
            {
                throw new FormatException($"fault schedule line {number}: expected 'OFFSET SPEC DURATION' (e.g. '3m silent 25s'), got '{line}'");
            }

            steps.Add(new FaultStep(Duration(words[0], number), words[1], Duration(words[2], number)));
        }

        if (repeat is { } every && steps.Any(s => s.Offset >= every))
        {
            throw new FormatException($"fault schedule: with 'repeat {DurationText.Format(every)}' every offset must be below the period");
        }

        return new FaultSchedule([.. steps.OrderBy(s => s.Offset)], repeat);
    }

    /// <summary>
    /// The steps of a run of <paramref name="runLength"/>, repeats unrolled, keeping only those whose fault and
    /// recovery allowance both end inside the run, so every fault injected is also judged.
    /// </summary>
    public IReadOnlyList<FaultStep> Expand(TimeSpan runLength, TimeSpan recovery)
    {
        var expanded = new List<FaultStep>();
        TimeSpan period = Repeat ?? TimeSpan.MaxValue;
        for (TimeSpan cycle = TimeSpan.Zero; cycle < runLength; cycle += period)
        {
            foreach (FaultStep step in Steps)
            {
                var shifted = step with { Offset = cycle + step.Offset };
                if (shifted.End + recovery <= runLength)
                {
                    expanded.Add(shifted);
                }
            }

            if (Repeat is null)
            {
                break;
            }
        }

        return expanded;
    }

    private static TimeSpan Duration(string text, int line) =>
        DurationText.TryParse(text, out TimeSpan value) ? value : throw new FormatException($"fault schedule line {line}: '{text}' is not a duration (e.g. 90s, 2m30s)");
}
