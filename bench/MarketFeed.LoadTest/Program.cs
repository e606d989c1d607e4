using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketFeed.Cli;
using MarketFeed.LoadTest;
using MarketFeed.LoadTest.Soak;

// dotnet run -c Release --project bench/MarketFeed.LoadTest -- [clients] [symbolsPerClient] [ticksPerSecond] [seconds]
// dotnet run -c Release --project bench/MarketFeed.LoadTest -- kite [seconds]      (Kite end to end vs raw WebSocket)
// dotnet run -c Release --project bench/MarketFeed.LoadTest -- binance [seconds]   (Binance end to end vs raw WebSocket)
// dotnet run -c Release --project bench/MarketFeed.LoadTest -- soak [--duration 1h] [--rate 50000] [--clients 50] …   (see docs/benchmarks.md)
if (args.Length > 0 && args[0] == "soak")
{
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    Environment.ExitCode = await SoakCommand.RunAsync(args[1..], Console.Out, Console.Error, interrupted.Token);
    return;
}

// The soak's gateway: the real `marketfeed` command line in a process of its own.
if (args.Length > 0 && args[0] == "gateway")
{
    Environment.ExitCode = await CliApp.RunAsync(args[1..], new CliEnvironment(Console.Out, Console.Error, Console.In));
    return;
}

if (args.Length > 0 && args[0] == "serve")
{
    await GatewayProcess.ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture));
    return;
}

if (args.Length > 0 && args[0] == "kite")
{
    await KiteEndToEnd.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5));
    return;
}

if (args.Length > 0 && args[0] == "binance")
{
    await BinanceEndToEnd.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5));
    return;
}

int clients = Arg(0, 1_000);
int symbolsPerClient = Arg(1, 10);
double rate = Arg(2, 10_000);
int seconds = Arg(3, 30);
int port = FreePort();
using Process gateway = GatewayProcess.Start(port, rate);
try
{
    while (await gateway.StandardOutput.ReadLineAsync() is { } line && line != "ready")
    {
    }

    var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    string[] universe = [.. (await http.GetFromJsonAsync<JsonElement>("/api/subscriptions")).GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()!)];
    var random = new Random(1);
    var load = Enumerable.Range(0, clients)
        .Select(_ => new LoadClient(new Uri($"ws://127.0.0.1:{port}/ws"), [.. universe.OrderBy(_ => random.Next()).Take(symbolsPerClient)]))
        .ToArray();

    using var stop = new CancellationTokenSource();
    var runs = new List<Task>();
    foreach (LoadClient[] batch in load.Chunk(100))
    {
        runs.AddRange(batch.Select(c => Task.Run(() => c.RunAsync(stop.Token))));
        await Task.Delay(100);
    }

    await Task.Delay(TimeSpan.FromSeconds(5));
    JsonElement before = await http.GetFromJsonAsync<JsonElement>("/api/status");
    long messagesBefore = load.Sum(c => Interlocked.Read(ref c.Messages));
    string metricsBefore = await http.GetStringAsync("/metrics");
    foreach (LoadClient client in load)
    {
        client.Measuring = true;
    }

    var clock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    foreach (LoadClient client in load)
    {
        client.Measuring = false;
    }

    double elapsed = clock.Elapsed.TotalSeconds;
    long messages = load.Sum(c => Interlocked.Read(ref c.Messages)) - messagesBefore;
    JsonElement after = await http.GetFromJsonAsync<JsonElement>("/api/status");
    string metricsAfter = await http.GetStringAsync("/metrics");
    await stop.CancelAsync();
    await Task.WhenAll(runs);

    double[] latencies = [.. load.SelectMany(c => c.LatenciesMs).Order()];
    long accepted = Quality(after, "accepted") - Quality(before, "accepted");
    Console.WriteLine($"## WebSocket fan-out: {clients} clients × {symbolsPerClient} symbols, {rate:N0} ticks/s in, {universe.Length} instruments, {elapsed:F0} s");
    Console.WriteLine();
    Console.WriteLine("| measure | value |");
    Console.WriteLine("|---|---:|");
    Console.WriteLine($"| ticks admitted by the hub | {accepted / elapsed:N0} /s (target {rate:N0}) |");
    Console.WriteLine($"| ingest drops (ingestFull) | {Quality(after, "ingestFull")} |");
    Console.WriteLine($"| messages received by all clients | {messages / elapsed:N0} /s |");
    Console.WriteLine($"| ticks conflated for clients (latest-per-instrument) | {(Quality(after, "subscriberConflated") - Quality(before, "subscriberConflated")) / elapsed:N0} /s |");
    Console.WriteLine($"| clients disconnected or failed | {load.Count(c => c.Failure is not null)} |");
    Console.WriteLine($"| client-side latency, receive time → client (p50 / p99 / max) | {Percentile(latencies, 0.50):F1} / {Percentile(latencies, 0.99):F1} / {(latencies.Length > 0 ? latencies[^1] : 0):F1} ms |");
    Console.WriteLine($"| server-side latency, receive time → send (p99, histogram bucket) | ≤ {PrometheusText.HistogramP99(metricsBefore, metricsAfter)} ms |");
    Console.WriteLine();
    await RunWrkAsync(port);
}
finally
{
    gateway.Kill(entireProcessTree: true);
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static long Quality(JsonElement status, string name) => status.GetProperty("quality").GetProperty(name).GetInt64();

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task RunWrkAsync(int port)
{
    if (!File.Exists("/usr/bin/wrk"))
    {
        Console.WriteLine("wrk not installed (apt-get install wrk): HTTP throughput skipped");
        return;
    }

    Console.WriteLine("## HTTP: latest tick vs /healthz (wrk -t2 -c64 -d10s)");
    Console.WriteLine();
    Console.WriteLine("| endpoint | requests/s | ratio |");
    Console.WriteLine("|---|---:|---:|");
    double baseline = await Wrk($"http://127.0.0.1:{port}/healthz");
    double latest = await Wrk($"http://127.0.0.1:{port}/api/ticks/NSE%3AINFY/latest");
    Console.WriteLine($"| /healthz (baseline) | {baseline:N0} | 1.00 |");
    Console.WriteLine($"| /api/ticks/NSE%3AINFY/latest | {latest:N0} | {latest / baseline:F2} |");

    static async Task<double> Wrk(string url)
    {
        var wrk = Process.Start(new ProcessStartInfo("/usr/bin/wrk", ["-t2", "-c64", "-d10s", url]) { RedirectStandardOutput = true })!;
        string output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Match m = Regex.Match(output, @"Requests/sec:\s+([\d.]+)");
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }
}
