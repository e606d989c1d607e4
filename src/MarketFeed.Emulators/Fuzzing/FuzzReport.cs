using System.Globalization;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>What a <see cref="DecoderFuzzRun"/> sent, what the feed counted, what the watched instruments got, and what went wrong.</summary>
public sealed class FuzzReport
{
    public required string Venue { get; init; }

    public required long Seed { get; init; }

    public required long FramesSent { get; init; }

    public required long BytesSent { get; init; }

    /// <summary>Frames whose construction guarantees the feed cannot read them.</summary>
    public required long MustReject { get; init; }

    /// <summary>Frames the venue's client rejects, judged one by one by the rig: what the feed must have counted.</summary>
    public required long Rejected { get; init; }

    /// <summary>Frames guaranteed unreadable that the venue's protocol read anyway, with samples to replay.</summary>
    public required long Escapes { get; init; }

    public required IReadOnlyList<string> EscapeSamples { get; init; }

    /// <summary>Per kind: frames sent, of which guaranteed unreadable, of which rejected.</summary>
    public required IReadOnlyDictionary<FuzzKind, (long Sent, long MustReject, long Rejected)> ByKind { get; init; }

    /// <summary>The feed's counters over the run.</summary>
    public required long Malformed { get; init; }

    public required long Oversized { get; init; }

    public required long HandlerErrors { get; init; }

    public required long UnknownInstruments { get; init; }

    /// <summary>Frames the feed rejected and counted.</summary>
    public long Counted => Malformed + Oversized + HandlerErrors;

    public required IReadOnlyDictionary<string, long> ControlTicks { get; init; }

    /// <summary>Control ticks not equal to any tick the emulator sent for that instrument.</summary>
    public required long ControlMismatches { get; init; }

    public required long Reconnects { get; init; }

    public required long PipelineErrors { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required long PeakWorkingSetBytes { get; init; }

    public required IReadOnlyList<string> Failures { get; init; }

    public bool Passed => Failures.Count == 0;

    public IEnumerable<string> Describe()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"{Venue}, seed {Seed}: {FramesSent:N0} fuzzed frames ({BytesSent / 1e6:N1} MB) in {Elapsed.TotalSeconds:N1} s = {FramesSent / Math.Max(Elapsed.TotalSeconds, 1e-9):N0} frames/s");
        yield return string.Create(c, $"  guaranteed unreadable {MustReject:N0} (escapes {Escapes}); rejected {Rejected:N0}; counted by the feed {Counted:N0} (malformed {Malformed:N0}, oversized {Oversized:N0}, handler errors {HandlerErrors:N0}); unknown instruments {UnknownInstruments:N0}");
        yield return string.Create(c, $"    {"kind",-15} {"sent",10} {"guaranteed",10} {"rejected",10}");
        foreach ((FuzzKind kind, (long sent, long mustReject, long rejected)) in ByKind.OrderBy(k => k.Key))
        {
            yield return string.Create(c, $"    {kind,-15} {sent,10:N0} {mustReject,10:N0} {rejected,10:N0}");
        }

        yield return string.Create(c, $"  controls: {string.Join(", ", ControlTicks.Select(t => $"{t.Key} {t.Value:N0} ticks"))}; mismatches {ControlMismatches}");
        yield return string.Create(c, $"  reconnects {Reconnects}, hub pipeline errors {PipelineErrors}, peak working set {PeakWorkingSetBytes / (1024.0 * 1024):N0} MiB (emulator and gateway in one process)");
        yield return Passed ? "  PASSED" : "  FAILED: " + string.Join("; ", Failures);
    }
}
