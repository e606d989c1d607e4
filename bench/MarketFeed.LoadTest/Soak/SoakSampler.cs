using System.Net.Http.Json;
using System.Text.Json;

namespace MarketFeed.LoadTest.Soak;

/// <summary>Reads the gateway (status, metrics, readiness, RSS) and the clients, and turns two readings into a sample.</summary>
internal sealed class SoakSampler(HttpClient http, SoakGateway gateway, TickLedger ledger, IReadOnlyList<SoakClient> clients, LatencyRecorder latencies)
{
    private TimeSpan _lastAt;
    private long _lastSent;
    private long _lastAccepted;
    private long _lastClientTicks;
    private string _lastMetrics = "";

    public CheckCounts Checks => clients.Aggregate(default(CheckCounts), (sum, c) => sum + c.Checker.Counts);

    /// <summary>The gateway's status, or <see cref="GatewayStatus.Unreachable"/> when it does not answer in time.</summary>
    public async Task<GatewayStatus> StatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return GatewayStatus.Parse(await http.GetFromJsonAsync<JsonElement>("/api/status", cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return GatewayStatus.Unreachable;
        }
    }

    /// <summary>Starts the intervals: the next sample's rates count from here.</summary>
    public async Task StartAsync(TimeSpan now, GatewayStatus status, CancellationToken cancellationToken)
    {
        _lastAt = now;
        _lastSent = ledger.Total;
        _lastAccepted = status.QualityCounter("accepted");
        _lastClientTicks = Checks.Ticks;
        _lastMetrics = await GetAsync("/metrics", cancellationToken) ?? "";
        latencies.Drain();
    }

    public async Task<SoakSample> SampleAsync(TimeSpan now, bool warmingUp, string faults, GatewayStatus status, long stalls, CancellationToken cancellationToken)
    {
        double seconds = Math.Max(0.001, (now - _lastAt).TotalSeconds);
        long sent = ledger.Total;
        CheckCounts checks = Checks;
        bool reachable = !ReferenceEquals(status, GatewayStatus.Unreachable);
        long accepted = reachable ? status.QualityCounter("accepted") : _lastAccepted;
        string? metrics = await GetAsync("/metrics", cancellationToken);
        int readyz = await ReadyzAsync(cancellationToken);
        double[] latency = latencies.Drain();
        var sample = new SoakSample
        {
            At = now,
            WarmingUp = warmingUp,
            Faults = faults,
            RssMegabytes = gateway.ResidentMegabytes(),
            EmulatorTicksPerSecond = (sent - _lastSent) / seconds,
            HubAcceptedPerSecond = reachable ? (accepted - _lastAccepted) / seconds : double.NaN,
            ClientTicksPerSecond = (checks.Ticks - _lastClientTicks) / seconds,
            LatencyP50Ms = LatencyRecorder.Percentile(latency, 0.50),
            LatencyP99Ms = LatencyRecorder.Percentile(latency, 0.99),
            LatencyMaxMs = latency.Length > 0 ? latency[^1] : double.NaN,
            ServerLatencyP99 = metrics is null ? "-" : PrometheusText.HistogramP99(_lastMetrics, metrics),
            Readyz = readyz,
            ClientsUp = clients.Count(c => c.Failure is null),
            Stalls = stalls,
            Status = status,
            Checks = checks,
        };
        _lastAt = now;
        _lastSent = sent;
        _lastAccepted = accepted;
        _lastClientTicks = checks.Ticks;
        _lastMetrics = metrics ?? _lastMetrics;
        return sample;
    }

    private async Task<string?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetStringAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The HTTP status of <c>/readyz</c>; 0 when it does not answer.</summary>
    private async Task<int> ReadyzAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync("/readyz", cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}
