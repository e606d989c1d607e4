using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketFeed.LoadTest;

/// <summary>The gateway's latest-tick endpoint against its cheapest one (/healthz), with wrk, in the same run.</summary>
internal static partial class HttpThroughput
{
    public static async Task RunAsync(int port, TextWriter output)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            output.WriteLine("wrk not installed (apt-get install wrk): HTTP throughput skipped");
            return;
        }

        output.WriteLine("## HTTP: latest tick vs /healthz (wrk -t2 -c64 -d10s)");
        output.WriteLine();
        output.WriteLine("| endpoint | requests/s | ratio |");
        output.WriteLine("|---|---:|---:|");
        double baseline = await Wrk($"http://127.0.0.1:{port}/healthz");
        double latest = await Wrk($"http://127.0.0.1:{port}/api/ticks/NSE%3AINFY/latest");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| /healthz (baseline) | {baseline:N0} | 1.00 |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| /api/ticks/NSE%3AINFY/latest | {latest:N0} | {latest / baseline:F2} |"));
    }

    private static async Task<double> Wrk(string url)
    {
        using Process wrk = Process.Start(new ProcessStartInfo("/usr/bin/wrk", ["-t2", "-c64", "-d10s", url]) { RedirectStandardOutput = true })!;
        string output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Match m = RequestsPerSecond().Match(output);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();
}
