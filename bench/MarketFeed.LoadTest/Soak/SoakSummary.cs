using System.Globalization;
using System.Text;

namespace MarketFeed.LoadTest.Soak;

/// <summary>The end-of-run summary, in Markdown so it can go straight into docs/benchmarks.md.</summary>
internal static class SoakSummary
{
    public static string Format(SoakSettings settings, EmulatorLoad load, TimeSpan ran, SoakResult result, SoakMonitor monitor, ViolationLog violations)
    {
        SoakSample[] run = [.. result.Samples.Where(s => !s.WarmingUp)];
        var text = new StringBuilder();
        text.AppendLine(Invariant($"## Soak: {DurationText.Format(Round(ran))} at {settings.Rate:N0} ticks/s, {settings.Clients} clients × {settings.SymbolsPerClient} symbols, {load.Instruments} instruments"));
        text.AppendLine();
        text.AppendLine(Invariant($"Warm-up {DurationText.Format(settings.WarmUp)} (excluded below), a sample every {DurationText.Format(settings.SampleEvery)} ({run.Length} after warm-up), {result.Faults.Count(f => f.Started is not null)} faults injected."));
        text.AppendLine();
        text.AppendLine("| measure (per sample, after warm-up) | median | min – max |");
        text.AppendLine("|---|---:|---:|");
        Row("ticks sent by the emulator /s", run.Select(s => s.EmulatorTicksPerSecond), "N0");
        Row("ticks admitted by the hub /s", run.Select(s => s.HubAcceptedPerSecond), "N0");
        Row("ticks received by all clients /s", run.Select(s => s.ClientTicksPerSecond), "N0");
        Row("client latency p50, gateway receive → client (ms)", run.Select(s => s.LatencyP50Ms), "F1");
        Row("client latency p99 (ms)", run.Select(s => s.LatencyP99Ms), "F1");
        Row("client latency max (ms)", run.Select(s => s.LatencyMaxMs), "F1");
        Row("server latency p99, receive → send (histogram bucket, ms)", run.Select(s => double.TryParse(s.ServerLatencyP99, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN), "0.##");
        text.AppendLine();

        double[] rss = [.. result.Samples.Select(s => s.RssMegabytes).Where(v => !double.IsNaN(v))];
        SoakSample? afterWarmUp = run.FirstOrDefault();
        text.AppendLine(Invariant($"Gateway RSS: start {First(rss):F0} MiB, after warm-up {afterWarmUp?.RssMegabytes ?? double.NaN:F0} MiB, end {Last(rss):F0} MiB, peak {(rss.Length > 0 ? rss.Max() : double.NaN):F0} MiB; {result.Memory.Description}."));
        text.AppendLine("GC heap: not exposed by /metrics.");
        text.AppendLine();

        if (result.Faults.Count > 0)
        {
            text.AppendLine("| fault | at | for | recovered (after the outage ended) |");
            text.AppendLine("|---|---:|---:|---:|");
            foreach (FaultWindow fault in result.Faults)
            {
                string recovered = fault.Error is not null ? "not injected: " + fault.Error
                    : fault.Started is null ? "not reached"
                    : fault.Recovered is { } r && fault.Ended is { } e ? Invariant($"{(r - e).TotalSeconds:F0} s")
                    : "no";
                text.AppendLine($"| `{fault.Step.Spec}` | {DurationText.Format(Round(fault.Started ?? fault.Step.Offset))} | {DurationText.Format(fault.Step.Duration)} | {recovered} |");
            }

            text.AppendLine();
        }

        SoakSample? last = result.Samples.LastOrDefault();
        if (last is not null)
        {
            text.AppendLine(Invariant($"Gateway at the end: feed {last.Status.FeedState}, {last.Status.Reconnects} reconnects, /readyz {last.Readyz}; quality: ") +
                string.Join(", ", last.Status.Quality.Where(q => q.Value != 0).Select(q => Invariant($"{q.Key} {q.Value:N0}"))) + ".");
        }

        CheckCounts c = result.Checks;
        text.AppendLine(Invariant($"Checks: {c.Ticks:N0} ticks checked; wrong symbol {c.WrongSymbol}, seq regressions {c.SeqRegressions}, duplicates {c.Duplicates:N0}, mixed {c.Mixed}, unmatched {c.Unmatched}, unreadable {c.Unreadable}, gateway errors {c.ServerErrors}; not judged: unverified (polled or flagged, no match) {c.Unverified:N0}; stalls {monitor.Stalls.Count}, longest gap outside faults {monitor.LongestGap.TotalSeconds:F1} s."));
        foreach (string example in violations.Examples.Take(5))
        {
            text.AppendLine("  e.g. " + example);
        }

        text.AppendLine();
        text.AppendLine(result.Passed ? "Result: PASS" : Invariant($"Result: FAIL ({result.Failures.Count} reasons, listed below)"));
        return text.ToString();

        void Row(string name, IEnumerable<double> values, string format)
        {
            double[] v = [.. values.Where(x => !double.IsNaN(x))];
            text.AppendLine(v.Length == 0
                ? $"| {name} | - | - |"
                : $"| {name} | {MemoryGrowth.Median(v).ToString(format, CultureInfo.InvariantCulture)} | {v.Min().ToString(format, CultureInfo.InvariantCulture)} – {v.Max().ToString(format, CultureInfo.InvariantCulture)} |");
        }
    }

    private static double First(double[] values) => values.Length > 0 ? values[0] : double.NaN;

    private static double Last(double[] values) => values.Length > 0 ? values[^1] : double.NaN;

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Round(t.TotalSeconds));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
