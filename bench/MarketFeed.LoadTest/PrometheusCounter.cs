using System.Globalization;

namespace MarketFeed.LoadTest;

/// <summary>Sums a counter's series (every label set) in the Prometheus text format; 0 when absent.</summary>
internal static class PrometheusCounter
{
    public static double Sum(string text, string name, string? label = null)
    {
        double total = 0;
        foreach (string line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || line[name.Length] is not ('{' or ' '))
            {
                continue;
            }

            if (label is not null && !line.Contains(label, StringComparison.Ordinal))
            {
                continue;
            }

            if (double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                total += value;
            }
        }

        return total;
    }
}
