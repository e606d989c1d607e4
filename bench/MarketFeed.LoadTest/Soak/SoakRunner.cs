using System.Globalization;
using MarketFeed.Venues.Kite.Emulator;

namespace MarketFeed.LoadTest.Soak;

/// <summary>
/// The soak: the Kite emulator (in this process, so every packet it sends is in the <see cref="TickLedger"/>), the
/// real gateway (<c>marketfeed run --feed kite</c>, a process of its own) on it, checked WebSocket clients, faults
/// on a schedule, a check every second and a sample every few; then the verdict.
/// </summary>
internal static class SoakRunner
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_progressEvery = TimeSpan.FromMinutes(1);

    public static async Task<SoakResult> RunAsync(SoakSettings settings, TextWriter output, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        EmulatorLoad load = EmulatorLoad.For(settings.Rate);
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(
            new KiteEmulatorOptions { TicksPerInstrumentPerSecond = load.TicksPerInstrumentPerSecond, StrikesEachSide = load.StrikesEachSide, Seed = settings.Seed },
            cancellationToken);
        (uint Token, string Symbol)[] universe = [.. emulator.Instruments.OrderBy(i => i.Token).Select(i => (i.Token, i.Instrument.Symbol))];
        var ledger = new TickLedger(universe.Select(u => u.Symbol));
        Dictionary<uint, int> slots = universe.Select((u, slot) => (u.Token, slot)).ToDictionary(p => p.Token, p => p.slot);
        emulator.Sent += (token, tick, _) =>
        {
            if (slots.TryGetValue(token, out int slot))
            {
                ledger.Record(slot, in tick);
            }
        };

        IReadOnlyList<FaultStep> steps = settings.Faults.Expand(settings.Duration, settings.RecoveryAllowance);
        await output.WriteLineAsync(Invariant($"soak: {DurationText.Format(settings.Duration)}, {settings.Rate:N0} ticks/s target ({universe.Length} instruments × {load.TicksPerInstrumentPerSecond:F1}/s nominal), {settings.Clients} clients × {settings.SymbolsPerClient} symbols, {steps.Count} faults, samples → {settings.Output}"));

        string cache = Directory.CreateTempSubdirectory("marketfeed-soak-").FullName;
        Dictionary<string, string> environment = settings.GatewayTiming();
        environment["MARKETFEED_Kite__ApiKey"] = "emulator-key";
        environment["MARKETFEED_Kite__AccessToken"] = "emulator-token";
        environment["MARKETFEED_Kite__StreamUrl"] = emulator.StreamUrl.ToString();
        environment["MARKETFEED_Kite__RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/');
        environment["MARKETFEED_Kite__CacheDirectory"] = cache;
        try
        {
            using var gateway = SoakGateway.Start(environment, universe.Select(u => u.Symbol), settings.Output + ".gateway.log");
            using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(5) };
            using var control = new HttpClient { BaseAddress = emulator.RestUrl, Timeout = TimeSpan.FromSeconds(5) };
            return await RunAsync(settings, load, universe.Select(u => u.Symbol).ToArray(), steps, ledger, gateway, http, control, output, time, cancellationToken);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static async Task<SoakResult> RunAsync(
        SoakSettings settings, EmulatorLoad load, string[] universe, IReadOnlyList<FaultStep> steps, TickLedger ledger,
        SoakGateway gateway, HttpClient http, HttpClient control, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder();
        var violations = new ViolationLog();
        var random = new Random(settings.Seed);
        SoakClient[] clients = [.. Enumerable.Range(0, settings.Clients).Select(index =>
        {
            string[] symbols = [.. universe.OrderBy(_ => random.Next()).Take(Math.Min(settings.SymbolsPerClient, universe.Length))];
            var checker = new TickChecker(index, symbols, ledger, violations);
            return new SoakClient(index, new UriBuilder(gateway.Address) { Scheme = "ws", Path = "/ws" }.Uri, symbols, checker, latencies, time)
            {
                Tamper = settings.Tamper?.Invoke(index, symbols),
            };
        })];
        var sampler = new SoakSampler(http, gateway, ledger, clients, latencies);
        var monitor = new SoakMonitor(settings.WarmUp, settings.StallAfter, clients.Length);
        var samples = new List<SoakSample>();

        GatewayStatus? ready = await WaitReadyAsync(gateway, sampler, http, time, cancellationToken);
        if (ready is null)
        {
            string why = gateway.HasExited ? $"the gateway exited with code {gateway.ExitCode} before it was ready" : $"the gateway was not ready within {DurationText.Format(s_startTimeout)}";
            return new SoakResult([], [], default, new MemoryGrowth.Result(false, double.NaN, double.NaN, "not judged"), [why + $" (see {settings.Output}.gateway.log)"]);
        }

        long start = time.GetTimestamp();
        TimeSpan Elapsed() => time.GetElapsedTime(start);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] running = [.. clients.Select(c => Task.Run(() => c.RunAsync(stop.Token), CancellationToken.None))];
        var injector = new FaultInjector(control, steps, Elapsed, time);
        Task injecting = injector.RunAsync(stop.Token);
        await sampler.StartAsync(TimeSpan.Zero, ready, cancellationToken);

        string? death = null;
        TimeSpan nextSample = settings.SampleEvery, nextProgress = s_progressEvery;
        using (var csv = new SampleCsv(settings.Output, ready.Quality.Keys))
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time))
        {
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    TimeSpan now = Elapsed();
                    if (gateway.HasExited)
                    {
                        death = Invariant($"the gateway exited with code {gateway.ExitCode} at {DurationText.Format(TimeSpan.FromSeconds(Math.Round(now.TotalSeconds)))} (see {settings.Output}.gateway.log)");
                        break;
                    }

                    GatewayStatus status = await sampler.StatusAsync(cancellationToken);
                    TimeSpan?[] lastTicks = [.. clients.Select(c => c.LastTickTimestamp == 0 ? (TimeSpan?)null : time.GetElapsedTime(start, c.LastTickTimestamp))];
                    injector.Inspect(windows => monitor.Observe(now, status.FeedState, windows, lastTicks));
                    if (now >= nextSample || now >= settings.Duration)
                    {
                        string faults = string.Join('+', injector.ActiveAt(now));
                        SoakSample sample = await sampler.SampleAsync(now, now < settings.WarmUp, faults, status, monitor.Stalls.Count, cancellationToken);
                        samples.Add(sample);
                        csv.Write(sample);
                        nextSample += settings.SampleEvery;
                        if (now >= nextProgress)
                        {
                            await output.WriteLineAsync(Progress(sample));
                            nextProgress += s_progressEvery;
                        }
                    }

                    if (now >= settings.Duration)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        TimeSpan ran = Elapsed();
        await stop.CancelAsync();
        await Task.WhenAll(running.Append(injecting));

        CheckCounts checks = sampler.Checks;
        MemoryGrowth.Result memory = MemoryGrowth.Evaluate([.. samples.Select(s => (s.At, s.RssMegabytes))], settings.WarmUp, settings.GrowthFactor, settings.GrowthMegabytes);
        List<string> failures = SoakVerdict.Judge(
            settings, ran, injector.Windows, monitor, checks, violations, [.. clients.Select(c => c.Failure).OfType<string>()], death, memory);
        if (cancellationToken.IsCancellationRequested)
        {
            failures.Insert(0, Invariant($"interrupted after {DurationText.Format(TimeSpan.FromSeconds(Math.Round(ran.TotalSeconds)))} of {DurationText.Format(settings.Duration)}"));
        }

        var result = new SoakResult(samples, injector.Windows, checks, memory, failures);
        await output.WriteLineAsync();
        await output.WriteLineAsync(SoakSummary.Format(settings, load, ran, result, monitor, violations));
        return result;
    }

    /// <summary>Waits for <c>/readyz</c> 200 with the feed connected; null when the gateway dies or does not get there in time.</summary>
    private static async Task<GatewayStatus?> WaitReadyAsync(SoakGateway gateway, SoakSampler sampler, HttpClient http, TimeProvider time, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        while (!gateway.HasExited && time.GetElapsedTime(started) < s_startTimeout)
        {
            try
            {
                using HttpResponseMessage ready = await http.GetAsync("/readyz", cancellationToken);
                GatewayStatus status = await sampler.StatusAsync(cancellationToken);
                if (ready.IsSuccessStatusCode && status.FeedState == "connected")
                {
                    return status;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        return null;
    }

    private static string Progress(SoakSample s)
    {
        string faults = s.Faults.Length > 0 ? ", faults: " + s.Faults : "";
        string latency = double.IsNaN(s.LatencyP50Ms) ? "-" : Invariant($"{s.LatencyP50Ms:F1}/{s.LatencyP99Ms:F1} ms");
        return Invariant(
            $"[{DurationText.Format(TimeSpan.FromSeconds(Math.Round(s.At.TotalSeconds)))}] {s.EmulatorTicksPerSecond:N0} ticks/s in, {s.ClientTicksPerSecond:N0}/s to clients, p50/p99 {latency}, RSS {s.RssMegabytes:F0} MiB, feed {s.Status.FeedState}{faults}, violations {s.Checks.Violations}, stalls {s.Stalls}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
