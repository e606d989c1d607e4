using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketFeed.LoadTest;

/// <summary>Reading the gateway's <c>/metrics</c> (Prometheus text format).</summary>
internal static partial class PrometheusText
{
    /// <summary>The smallest <c>marketfeed_latency</c> bucket bound holding 99 % of the sends made between two scrapes.</summary>
    public static string HistogramP99(string before, string after)
    {
        Dictionary<string, long> b = Buckets(before), a = Buckets(after);
        long total = a.GetValueOrDefault("+Inf") - b.GetValueOrDefault("+Inf");
        if (total <= 0)
        {
            return "-";
        }

        foreach ((string le, long count) in a)
        {
            if (count - b.GetValueOrDefault(le) >= 0.99 * total)
            {
                return le;
            }
        }

        return "+Inf";
    }

    private static Dictionary<string, long> Buckets(string text) => LatencyBucket().Matches(text)
        .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("^marketfeed_latency_bucket\\{le=\"([^\"]+)\"\\} (\\d+)$", RegexOptions.Multiline)]
    private static partial Regex LatencyBucket();
}
