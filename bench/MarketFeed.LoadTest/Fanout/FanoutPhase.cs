using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarketFeed.LoadTest.Fanout;

/// <summary>
/// One server under the load clients: connect them in batches of 100, warm up (<see cref="FanoutSettings.WarmUpSeconds"/>), then measure ticks received,
/// sampled latency, the harness's and the server's CPU over the window. Clients get the same symbols in every phase
/// (seeded), so the baseline and the gateway serve identical subscriptions. With a frozen client the measurement
/// alternates six windows, without and with one more client that subscribes like the others and never reads (a fresh
/// one each time), so the two are compared over the same minute of a machine whose load changes.
/// </summary>
internal static class FanoutPhase
{
    private const int FrozenWindows = 6;

    public static async Task<PhaseResult> RunAsync(string name, Process server, int port, FanoutSettings settings, bool frozen, bool gateway)
    {
        while (await server.StandardOutput.ReadLineAsync() is { } line && line != "ready")
        {
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string[] universe = [.. (await http.GetFromJsonAsync<JsonElement>("/api/subscriptions")).GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()!).Order(StringComparer.Ordinal)];
        var uri = new Uri($"ws://127.0.0.1:{port}/ws");
        LoadClient[] load = CreateClients(uri, universe, settings);

        using var stop = new CancellationTokenSource();
        var runs = new List<Task>();
        foreach (LoadClient[] batch in load.Chunk(100))
        {
            runs.AddRange(batch.Select(c => Task.Run(() => c.RunAsync(stop.Token))));
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(settings.WarmUpSeconds));
        string? metricsBefore = gateway ? await http.GetStringAsync("/metrics") : null;
        JsonElement? statusBefore = gateway ? await http.GetFromJsonAsync<JsonElement>("/api/status") : null;
        long messagesBefore = load.Sum(c => Interlocked.Read(ref c.Messages));
        TimeSpan harnessBefore = Process.GetCurrentProcess().TotalProcessorTime;
        server.Refresh();
        TimeSpan serverBefore = server.TotalProcessorTime;
        foreach (LoadClient client in load)
        {
            client.Measuring = true;
        }

        var clock = Stopwatch.StartNew();
        (double Without, double With)? frozenTicks = frozen
            ? await AlternateFrozenAsync(uri, load, [.. load[0].Symbols], TimeSpan.FromSeconds(settings.Seconds / 3.0))
            : null;
        if (!frozen)
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.Seconds));
        }

        foreach (LoadClient client in load)
        {
            client.Measuring = false;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        long messages = load.Sum(c => Interlocked.Read(ref c.Messages)) - messagesBefore;
        double harnessCpu = (Process.GetCurrentProcess().TotalProcessorTime - harnessBefore).TotalSeconds / elapsed;
        server.Refresh();
        double serverCpu = (server.TotalProcessorTime - serverBefore).TotalSeconds / elapsed;
        GatewayFigures? figures = null;
        if (gateway)
        {
            string metricsAfter = await http.GetStringAsync("/metrics");
            JsonElement statusAfter = await http.GetFromJsonAsync<JsonElement>("/api/status");
            figures = new GatewayFigures(
                (Quality(statusAfter, "accepted") - Quality(statusBefore!.Value, "accepted")) / elapsed,
                Quality(statusAfter, "ingestFull"),
                (Quality(statusAfter, "subscriberConflated") - Quality(statusBefore.Value, "subscriberConflated")) / elapsed,
                Delta("marketfeed_client_ticks_conflated_total"),
                Delta("marketfeed_ticks_encoded_total"),
                PrometheusText.HistogramP99(metricsBefore!, metricsAfter));

            double Delta(string counter) => (PrometheusCounter.Sum(metricsAfter, counter) - PrometheusCounter.Sum(metricsBefore!, counter)) / elapsed;
        }

        await stop.CancelAsync();
        await Task.WhenAll(runs);
        double[] latencies = [.. load.SelectMany(c => c.LatenciesMs).Order()];
        FrozenComparison? comparison = frozenTicks is { } t ? new FrozenComparison(WindowsP99(load, 0), WindowsP99(load, 1), t.Without, t.With) : null;
        return new PhaseResult(
            name,
            elapsed,
            messages / elapsed,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length > 0 ? latencies[^1] : double.NaN,
            load.Count(c => c.Failure is not null),
            harnessCpu,
            serverCpu,
            figures,
            comparison);
    }

    /// <summary>
    /// Windows 0, 2, 4 without, 1, 3, 5 with a frozen client (connected at the window's start, dropped at its end);
    /// returns the others' ticks/s in each kind.
    /// </summary>
    private static async Task<(double Without, double With)> AlternateFrozenAsync(Uri uri, LoadClient[] load, string[] symbols, TimeSpan window)
    {
        var ticks = new double[2];
        var seconds = new double[2];
        for (int w = 0; w < FrozenWindows; w++)
        {
            foreach (LoadClient client in load)
            {
                client.Window = w;
            }

            int kind = w % 2;
            using var frozenStop = new CancellationTokenSource();
            Task? frozen = kind == 1 ? Task.Run(() => new LoadClient(uri, symbols, frozen: true).RunAsync(frozenStop.Token)) : null;
            long before = load.Sum(c => Interlocked.Read(ref c.Messages));
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            ticks[kind] += load.Sum(c => Interlocked.Read(ref c.Messages)) - before;
            seconds[kind] += clock.Elapsed.TotalSeconds;
            if (frozen is not null)
            {
                await frozenStop.CancelAsync();
                await frozen;
            }
        }

        return (ticks[0] / seconds[0], ticks[1] / seconds[1]);
    }

    /// <summary>The p99 of the samples taken in windows without (0) or with (1) a frozen client; read once the clients stopped.</summary>
    private static double WindowsP99(LoadClient[] load, int kind) =>
        Percentile([.. load.SelectMany(c => c.LatenciesMs.Where((_, i) => c.SampleWindows[i] % 2 == kind)).Order()], 0.99);

    /// <summary>Each client's symbols drawn from a generator seeded the same in every phase.</summary>
    internal static LoadClient[] CreateClients(Uri uri, string[] universe, FanoutSettings settings)
    {
        var random = new Random(1);
        return [.. Enumerable.Range(0, settings.Clients)
            .Select(_ => new LoadClient(uri, [.. universe.OrderBy(_ => random.Next()).Take(settings.SymbolsPerClient)], settings.Batch))];
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    private static long Quality(JsonElement status, string name) => status.GetProperty("quality").GetProperty(name).GetInt64();
}
