namespace MarketFeed.LoadTest.Soak;

/// <summary>The pass criteria, applied once the run is over: one line per reason to fail.</summary>
internal static class SoakVerdict
{
    public static List<string> Judge(
        SoakSettings settings,
        TimeSpan runLength,
        IReadOnlyList<FaultWindow> faults,
        SoakMonitor monitor,
        CheckCounts checks,
        ViolationLog examples,
        IReadOnlyList<string> clientFailures,
        string? gatewayDeath,
        MemoryGrowth.Result memory)
    {
        var reasons = new List<string>();
        if (gatewayDeath is not null)
        {
            reasons.Add(gatewayDeath);
        }

        if (clientFailures.Count > 3)
        {
            reasons.Add($"{clientFailures.Count} clients lost their connection, e.g. {clientFailures[0]}");
        }
        else
        {
            reasons.AddRange(clientFailures);
        }

        Count(checks.WrongSymbol, "tick(s) of a symbol the client did not subscribe", "symbol");
        Count(checks.SeqRegressions, "seq regression(s): an instrument's seq went back", "seq");
        Count(checks.Mixed, "tick(s) carrying another instrument's price (instruments mixed)", "mixed");
        Count(checks.Unmatched, "tick(s) with a price the emulator never sent for that instrument", "unmatched");
        Count(checks.Unreadable, "unreadable message(s)", "unreadable");
        Count(checks.ServerErrors, "error message(s) from the gateway", "error");
        reasons.AddRange(monitor.Stalls.Select(s => "stall: " + s));
        reasons.AddRange(monitor.UnexpectedStates.Select(s => "feed state: " + s));
        foreach (FaultWindow fault in faults)
        {
            if (fault.Error is { } error)
            {
                reasons.Add($"fault '{fault.Step.Spec}' at {DurationText.Format(fault.Step.Offset)} was not injected: {error}");
            }
        }

        reasons.AddRange(LateRecoveries(faults, settings.RecoveryAllowance, runLength));
        if (memory.Grew)
        {
            reasons.Add("memory growth: " + memory.Description);
        }

        return reasons;

        void Count(long count, string what, string kind)
        {
            if (count > 0)
            {
                string? example = examples.FirstOf(kind);
                reasons.Add($"{count} {what}" + (example is null ? "" : $", e.g. {example}"));
            }
        }
    }

    /// <summary>
    /// Faults the feed did not recover from in time. Overlapping faults are one outage: each is given the allowance
    /// from the end of the last fault overlapping it. An outage whose deadline is past the end of the run is not judged.
    /// </summary>
    public static IEnumerable<string> LateRecoveries(IReadOnlyList<FaultWindow> faults, TimeSpan allowance, TimeSpan runLength)
    {
        FaultWindow[] started = [.. faults.Where(f => f.Started is not null).OrderBy(f => f.Started)];
        int i = 0;
        while (i < started.Length)
        {
            // One outage: faults whose windows overlap, directly or through each other.
            TimeSpan end = started[i].Ended ?? runLength;
            int j = i + 1;
            while (j < started.Length && started[j].Started <= end)
            {
                end = Max(end, started[j].Ended ?? runLength);
                j++;
            }

            TimeSpan deadline = end + allowance;
            for (int k = i; k < j; k++)
            {
                FaultWindow fault = started[k];
                TimeSpan? recovered = fault.Recovered;
                if (recovered is null && deadline <= runLength)
                {
                    yield return $"no recovery: after '{fault.Step.Spec}' at {DurationText.Format(Round(fault.Started!.Value))} the feed was not connected with ticks flowing by {DurationText.Format(Round(deadline))} ({DurationText.Format(allowance)} after the outage ended)";
                }
                else if (recovered > deadline)
                {
                    yield return $"slow recovery: after '{fault.Step.Spec}' at {DurationText.Format(Round(fault.Started!.Value))} the feed recovered {(recovered.Value - end).TotalSeconds:F0} s after the outage ended (allowed {DurationText.Format(allowance)})";
                }
            }

            i = j;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Round(t.TotalSeconds));
}
