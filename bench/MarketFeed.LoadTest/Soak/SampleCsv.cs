using System.Globalization;

namespace MarketFeed.LoadTest.Soak;

/// <summary>The samples as CSV, one row per sample, written as they come (a run cut short keeps what it had).</summary>
internal sealed class SampleCsv : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string[] _qualityKeys;

    public SampleCsv(string path, IEnumerable<string> qualityKeys)
    {
        _qualityKeys = [.. qualityKeys];
        _writer = new StreamWriter(path) { AutoFlush = true };
        _writer.WriteLine(string.Join(',', new[]
        {
            "t_s", "warmup", "faults", "rss_mib", "emulator_ticks_per_s", "hub_accepted_per_s", "client_ticks_per_s",
            "latency_p50_ms", "latency_p99_ms", "latency_max_ms", "server_latency_p99_le_ms", "readyz", "feed_state",
            "connections", "reconnects", "clients_up", "client_ticks", "wrong_symbol", "seq_regressions", "duplicates", "mixed",
            "unmatched", "unverified", "server_errors", "stalls",
        }.Concat(_qualityKeys.Select(k => "q_" + k))));
    }

    public void Write(SoakSample s)
    {
        var fields = new List<string>
        {
            N(s.At.TotalSeconds, "F1"), s.WarmingUp ? "1" : "0", Quote(s.Faults), N(s.RssMegabytes, "F1"), N(s.EmulatorTicksPerSecond, "F0"),
            N(s.HubAcceptedPerSecond, "F0"), N(s.ClientTicksPerSecond, "F0"), N(s.LatencyP50Ms, "F2"), N(s.LatencyP99Ms, "F2"),
            N(s.LatencyMaxMs, "F2"), s.ServerLatencyP99, N(s.Readyz), s.Status.FeedState, N(s.Status.Connections), N(s.Status.Reconnects),
            N(s.ClientsUp), N(s.Checks.Ticks), N(s.Checks.WrongSymbol), N(s.Checks.SeqRegressions), N(s.Checks.Duplicates), N(s.Checks.Mixed),
            N(s.Checks.Unmatched), N(s.Checks.Unverified), N(s.Checks.ServerErrors), N(s.Stalls),
        };
        fields.AddRange(_qualityKeys.Select(k => s.Status.Quality.TryGetValue(k, out long v) ? N(v) : ""));
        _writer.WriteLine(string.Join(',', fields));
    }

    public void Dispose() => _writer.Dispose();

    private static string N(double value, string format) => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? "\"" + text + "\"" : text;
}
