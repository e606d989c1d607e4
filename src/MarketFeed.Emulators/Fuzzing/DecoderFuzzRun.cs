using System.Diagnostics;
using System.Globalization;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;

namespace MarketFeed.Emulators.Fuzzing;

/// <summary>
/// Pushes fuzzed frames through a venue's real feed session over loopback (<see cref="IFuzzRig"/>) and accounts for
/// every one: the feed never leaves <c>connected</c> (no reconnects); no frame guaranteed unreadable is read (checked
/// frame by frame); the feed's counters equal exactly the frames its protocol rejects (judged frame by frame), so none
/// escapes them and no valid frame is counted; no frame makes the decoder throw; the controls keep ticking with exactly
/// the values the emulator sent; the hub's pipeline never fails; and the status still reads. The test suite runs it
/// short, the benchmark (<c>fuzz VENUE FRAMES</c>) long.
/// </summary>
public static class DecoderFuzzRun
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(30);

    public static async Task<FuzzReport> RunAsync(IFuzzRig rig, FuzzRunOptions options, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        CancellationToken token = deadline.Token;
        var failures = new List<string>();
        FeedHealth health = rig.Health;

        // Targets are wanted (their ticks reach admission and candles) but nobody reads them.
        await using MarketSubscription targets = rig.Host.Subscribe(rig.Targets, new SubscriberOptions { Mode = FeedMode.Full, Ticks = false });
        await using var controls = new ControlWatch(rig.Host, rig.Controls, rig.ControlTicks);
        await WaitAsync("the feed to connect and every control to tick", () => health.State == FeedState.Connected && controls.FewestTicks > 0, s_settle, token).ConfigureAwait(false);

        (long malformed, long oversized, long errors, long unknown, long reconnects) = Counters(health);
        var left = new List<string>();
        void OnStateChanged(FeedStateChange change)
        {
            lock (left)
            {
                left.Add($"{change.From}→{change.To} ({change.Reason})");
            }
        }

        health.StateChanged += OnStateChanged;
        var clock = Stopwatch.StartNew();
        string[] keys = [.. rig.Targets.Select(t => rig.Host.Resolve(t).NativeKey)];
        rig.SetFaults(string.Create(CultureInfo.InvariantCulture,
            $"-fuzztarget,fuzz={options.Seed},fuzzrate={options.FramesPerStep},fuzzcount={options.Frames},fuzzsize={rig.MaxFrameBytes + 1L},fuzzkinds={options.Kinds ?? string.Join('+', FuzzSettings.DefaultKinds)},{string.Join(',', keys.Select(k => "fuzztarget=" + k))}"));
        try
        {
            // A reconnect already fails the run: no point waiting for the rest.
            await WaitAsync("every fuzzed frame to be sent", () => rig.Tally.Sent >= options.Frames || health.Reconnects > reconnects, options.Timeout, token).ConfigureAwait(false);

            // Frames are read in order: once the feed has read one more frame than the emulator had sent, all were handled.
            // (After a reconnect some never arrive: the reconnect is the failure.)
            long sentSoFar = rig.FramesSent;
            if (health.Reconnects == reconnects)
            {
                await WaitAsync("the feed to read every frame sent", () => health.Messages > sentSoFar, s_settle, token).ConfigureAwait(false);
            }
        }
        catch (TimeoutException e)
        {
            failures.Add(e.Message + string.Create(CultureInfo.InvariantCulture, $" ({rig.Tally.Sent:N0} of {options.Frames:N0} fuzzed frames sent, feed {health.State}, last error: {health.LastError})"));
        }
        finally
        {
            clock.Stop();
            rig.SetFaults("-fuzz");
        }

        // Every control must still tick after the fuzzing.
        Dictionary<string, long> before = new(controls.Ticks);
        try
        {
            await WaitAsync("every control to tick again", () => controls.Ticks.All(t => t.Value > before[t.Key]), s_settle, token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            failures.Add("control instruments stopped ticking: " + string.Join(", ", controls.Ticks.Where(t => t.Value <= before[t.Key]).Select(t => t.Key)));
        }

        health.StateChanged -= OnStateChanged;
        (long malformedAfter, long oversizedAfter, long errorsAfter, long unknownAfter, long reconnectsAfter) = Counters(health);
        FuzzTally tally = rig.Tally;
        var report = new FuzzReport
        {
            Venue = rig.Venue,
            Seed = options.Seed,
            FramesSent = tally.Sent,
            BytesSent = tally.Bytes,
            MustReject = tally.MustReject,
            Rejected = tally.Rejected,
            Escapes = tally.Escapes,
            EscapeSamples = [.. tally.EscapeSamples],
            ByKind = Enum.GetValues<FuzzKind>().Where(k => tally.SentOf(k) > 0).ToDictionary(k => k, k => (tally.SentOf(k), tally.MustRejectOf(k), tally.RejectedOf(k))),
            Malformed = malformedAfter - malformed,
            Oversized = oversizedAfter - oversized,
            HandlerErrors = errorsAfter - errors,
            UnknownInstruments = unknownAfter - unknown,
            ControlTicks = controls.Ticks,
            ControlMismatches = controls.Mismatches,
            Reconnects = reconnectsAfter - reconnects,
            PipelineErrors = PipelineErrors(rig),
            Elapsed = clock.Elapsed,
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Failures = failures,
        };
        Check(report, options, controls, left, rig, failures);
        return report;
    }

    private static void Check(FuzzReport report, FuzzRunOptions options, ControlWatch controls, List<string> left, IFuzzRig rig, List<string> failures)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        void Fail(bool failed, FormattableString message)
        {
            if (failed)
            {
                failures.Add(message.ToString(c));
            }
        }

        Fail(report.FramesSent != options.Frames, $"{report.FramesSent:N0} fuzzed frames sent, not {options.Frames:N0}");
        Fail(report.Reconnects > 0, $"the feed reconnected {report.Reconnects} times (last error: {rig.Health.LastError})");
        Fail(left.Count > 0, $"the feed left connected: {string.Join(", ", left)}");
        Fail(report.Escapes > 0, $"{report.Escapes:N0} frames guaranteed unreadable were read by the venue's protocol: {string.Join(" | ", report.EscapeSamples)}");
        Fail(report.Counted != report.Rejected, $"the venue's protocol rejects {report.Rejected:N0} of the fuzzed frames but the feed counted {report.Counted:N0}");
        long oversizedSent = report.ByKind.TryGetValue(FuzzKind.Oversized, out (long Sent, long MustReject, long Rejected) o) ? o.Sent : 0;
        Fail(report.Oversized != oversizedSent, $"{oversizedSent:N0} oversized frames sent, {report.Oversized:N0} counted");
        Fail(report.HandlerErrors > 0, $"{report.HandlerErrors:N0} frames made the decoder or its handler throw (see the feed's log)");
        Fail(report.ControlMismatches > 0, $"{report.ControlMismatches:N0} control ticks were not ones the venue sent, e.g. {string.Join("; ", controls.MismatchSamples)}");
        Fail(controls.SeqGaps > 0, $"{controls.SeqGaps:N0} gaps in the controls' tick numbering");
        Fail(report.PipelineErrors > 0, $"the hub's pipeline failed {report.PipelineErrors:N0} times");

        MarketStatus status = rig.Host.Status();
        FeedStatus? feed = status.Feeds.FirstOrDefault(f => f.Feed == rig.Health.Feed);
        Fail(feed?.State != FeedState.Connected, $"status shows the feed {feed?.State}");
        string[] unhealthy = [.. status.Instruments
            .Where(i => rig.Controls.Any(x => x.Symbol == i.Symbol) && i.State is not (InstrumentHealthState.Live or InstrumentHealthState.Closed))
            .Select(i => $"{i.Symbol} {i.State}")];
        Fail(unhealthy.Length > 0, $"status shows controls unhealthy: {string.Join(", ", unhealthy)}");
    }

    private static (long Malformed, long Oversized, long Errors, long Unknown, long Reconnects) Counters(FeedHealth health) =>
        (health.MalformedFrames, health.OversizedFrames, health.HandlerErrors, health.UnknownInstruments, health.Reconnects);

    private static long PipelineErrors(IFuzzRig rig) =>
        rig.Controls.Select(c => c.Symbol).Concat(rig.Targets)
            .Select(symbol => rig.Host.Hub.PartitionOf(rig.Host.Resolve(symbol).Id))
            .Distinct()
            .Sum(p => Interlocked.Read(ref p.PipelineErrors));

    /// <exception cref="TimeoutException">Not within <paramref name="within"/>, or the run's deadline passed.</exception>
    private static async Task WaitAsync(string what, Func<bool> condition, TimeSpan within, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(within);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }
        }
    }
}
