using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MarketFeed.LoadTest.Fanout;

/// <summary>
/// The fan-out benchmark: the same load clients against the bare baseline broadcaster and then the gateway, each in a
/// process of its own, in one invocation, so every gateway figure is a ratio to what this machine did in the same run.
/// </summary>
internal static class FanoutCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        FanoutSettings settings;
        try
        {
            settings = FanoutSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        await MeasureAsync(settings, output);
        if (settings.Http)
        {
            int port = FreePort();
            using Process gateway = GatewayProcess.Start(port, settings.TicksPerSecond);
            try
            {
                while (await gateway.StandardOutput.ReadLineAsync() is { } line && line != "ready")
                {
                }

                await HttpThroughput.RunAsync(port, output);
            }
            finally
            {
                gateway.Kill(entireProcessTree: true);
            }
        }

        return 0;
    }

    /// <summary>Every round's phases, each round's table written as it finishes, then the summary.</summary>
    internal static async Task<IReadOnlyList<IReadOnlyList<PhaseResult>>> MeasureAsync(FanoutSettings settings, TextWriter output)
    {
        var rounds = new List<IReadOnlyList<PhaseResult>>();
        for (int round = 1; round <= settings.Rounds; round++)
        {
            string loadBefore = LoadAverage();
            var phases = new List<PhaseResult>
            {
                await RunPhaseAsync("baseline", settings, frozen: false, gateway: false),
                await RunPhaseAsync("gateway", settings, frozen: false, gateway: true),
            };
            if (settings.Frozen)
            {
                phases.Add(await RunPhaseAsync("gateway, frozen client in alternate windows", settings, frozen: true, gateway: true));
            }

            Write(output, settings, round, phases, loadBefore, LoadAverage());
            rounds.Add(phases);
        }

        if (rounds.Count > 1)
        {
            WriteSummary(output, rounds);
        }

        return rounds;
    }

    private static async Task<PhaseResult> RunPhaseAsync(string name, FanoutSettings settings, bool frozen, bool gateway)
    {
        int port = FreePort();
        using Process server = gateway ? GatewayProcess.Start(port, settings.TicksPerSecond) : GatewayProcess.StartBaseline(port, settings.TicksPerSecond, settings.Batch);
        try
        {
            return await FanoutPhase.RunAsync(name, server, port, settings, frozen, gateway);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    internal static void Write(TextWriter output, FanoutSettings settings, int round, IReadOnlyList<PhaseResult> phases, string loadBefore, string loadAfter)
    {
        PhaseResult baseline = phases[0];
        output.WriteLine(Invariant($"## WebSocket fan-out, round {round}: {settings.Clients} clients × {settings.SymbolsPerClient} symbols, {settings.TicksPerSecond:N0} ticks/s in, {settings.Seconds} s per phase after {settings.WarmUpSeconds} s warm-up{(settings.Batch ? ", batched frames" : "")}"));
        output.WriteLine();
        output.WriteLine($"load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}");
        output.WriteLine();
        output.WriteLine("| measure | " + string.Join(" | ", phases.Select(p => p.Name)) + " |");
        output.WriteLine("|---|" + string.Concat(phases.Select(_ => "---:|")));
        Row("ticks received by all clients /s", p => Invariant($"{p.MessagesPerSecond:N0}"));
        Row("  ratio to baseline", p => Invariant($"{p.MessagesPerSecond / baseline.MessagesPerSecond:F2}"));
        Row("client latency p50 / p99 / max, ms", p => Invariant($"{p.P50Ms:F1} / {p.P99Ms:F1} / {p.MaxMs:F1}"));
        Row("  p99 ratio to baseline", p => Invariant($"{p.P99Ms / baseline.P99Ms:F2}"));
        Row("clients failed", p => Invariant($"{p.Failed}"));
        Row("harness CPU (1.00 = one core)", p => Invariant($"{p.HarnessCpu:F2}"));
        Row("server CPU (1.00 = one core)", p => Invariant($"{p.ServerCpu:F2}"));
        Row("ticks admitted by the hub /s", p => p.Gateway is { } g ? Invariant($"{g.AdmittedPerSecond:N0}") : "-");
        Row("ingest drops (ingestFull)", p => p.Gateway is { } g ? Invariant($"{g.IngestFull}") : "-");
        Row("ticks conflated for clients /s", p => p.Gateway is { } g ? Invariant($"{g.ClientConflatedPerSecond + g.HubConflatedPerSecond:N0}") : "-");
        Row("ticks encoded /s", p => p.Gateway is { } g ? Invariant($"{g.EncodedPerSecond:N0}") : "-");
        Row("server-side p99 (histogram bucket), ms", p => p.Gateway is { } g ? "≤ " + g.ServerP99 : "-");
        Row("others' p99 without / with a frozen client, ms", p => p.Frozen is { } f ? Invariant($"{f.P99WithoutMs:F1} / {f.P99WithMs:F1} ({f.P99Ratio:F2}×)") : "-");
        Row("others' ticks/s without / with a frozen client", p => p.Frozen is { } f ? Invariant($"{f.TicksPerSecondWithout:N0} / {f.TicksPerSecondWith:N0}") : "-");
        output.WriteLine();

        void Row(string measure, Func<PhaseResult, string> value) =>
            output.WriteLine($"| {measure} | " + string.Join(" | ", phases.Select(value)) + " |");
    }

    /// <summary>Per-round ratios and their median with min–max: the figures to quote.</summary>
    internal static void WriteSummary(TextWriter output, IReadOnlyList<IReadOnlyList<PhaseResult>> rounds)
    {
        output.WriteLine($"## Summary over {rounds.Count} rounds: median (min–max)");
        output.WriteLine();
        output.WriteLine("| measure | median | min–max |");
        output.WriteLine("|---|---:|---:|");
        Line("gateway ticks/s ÷ baseline", r => r[1].MessagesPerSecond / r[0].MessagesPerSecond);
        Line("gateway p99 ÷ baseline p99", r => r[1].P99Ms / r[0].P99Ms);
        Line("baseline p99, ms", r => r[0].P99Ms);
        Line("gateway p99, ms", r => r[1].P99Ms);
        if (rounds[0].Count > 2)
        {
            Line("others' p99 with a frozen client ÷ without (same phase)", r => r[2].Frozen!.P99Ratio);
            Line("others' ticks/s with a frozen client ÷ without", r => r[2].Frozen!.TicksPerSecondWith / r[2].Frozen!.TicksPerSecondWithout);
        }

        output.WriteLine();

        void Line(string measure, Func<IReadOnlyList<PhaseResult>, double> value)
        {
            double[] values = [.. rounds.Select(value).Order()];
            double median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
            output.WriteLine(Invariant($"| {measure} | {median:F2} | {values[0]:F2}–{values[^1]:F2} |"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
