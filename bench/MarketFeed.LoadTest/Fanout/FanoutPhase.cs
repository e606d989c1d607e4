using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarketFeed.LoadTest.Fanout;

/// <summary>
/// One server under the load clients: connect them in batches of 100, warm up 5 s, then measure ticks received,
/// sampled latency, the harness's and the server's CPU over the window. Clients get the same symbols in every phase
/// (seeded), so the baseline and the gateway serve identical subscriptions.
/// </summary>
internal static class FanoutPhase
{
    public static async Task<PhaseResult> RunAsync(string name, Process server, int port, FanoutSettings settings, bool frozen, bool gateway)
    {
        while (await server.StandardOutput.ReadLineAsync() is { } line && line != "ready")
        {
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string[] universe = [.. (await http.GetFromJsonAsync<JsonElement>("/api/subscriptions")).GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()!).Order(StringComparer.Ordinal)];
        LoadClient[] load = CreateClients(new Uri($"ws://127.0.0.1:{port}/ws"), universe, settings, frozen);

        using var stop = new CancellationTokenSource();
        var runs = new List<Task>();
        foreach (LoadClient[] batch in load.Chunk(100))
        {
            runs.AddRange(batch.Select(c => Task.Run(() => c.RunAsync(stop.Token))));
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
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
        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds));
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
        double[] latencies = [.. load.Where(c => !c.Frozen).SelectMany(c => c.LatenciesMs).Order()];
        return new PhaseResult(
            name,
            elapsed,
            messages / elapsed,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length > 0 ? latencies[^1] : double.NaN,
            load.Count(c => !c.Frozen && c.Failure is not null),
            harnessCpu,
            serverCpu,
            figures);
    }

    /// <summary>Each client's symbols drawn from a generator seeded the same in every phase; with <paramref name="frozen"/>, the first client never reads.</summary>
    internal static LoadClient[] CreateClients(Uri uri, string[] universe, FanoutSettings settings, bool frozen)
    {
        var random = new Random(1);
        return [.. Enumerable.Range(0, settings.Clients)
            .Select(i => new LoadClient(uri, [.. universe.OrderBy(_ => random.Next()).Take(settings.SymbolsPerClient)], settings.Batch, frozen: frozen && i == 0))];
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    private static long Quality(JsonElement status, string name) => status.GetProperty("quality").GetProperty(name).GetInt64();
}
