using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using MarketFeed.Health;

namespace MarketFeed.Server.Metrics;

/// <summary>
/// Collects one gateway's meter with a <see cref="MeterListener"/> and renders the Prometheus text format
/// (version 0.0.4): counters as <c>_total</c>, gauges as their last value, histograms as cumulative buckets.
/// Only that meter instance is collected, so several gateways in one process never mix their figures.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] s_bucketBounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

    // Hot-path lookup by the tag values themselves (at most two tags here), so a measurement builds no label string
    // once its series exists.
    private readonly ConcurrentDictionary<(Instrument Instrument, object? First, object? Second), Series> _byTagValues = new();
    private readonly Lock _scrapeGate = new();
    private readonly GatewayMetrics _metrics;

    public PrometheusExporter(GatewayMetrics metrics)
    {
        _metrics = metrics;
        Meter meter = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        lock (_scrapeGate)
        {
            _metrics.Refresh();
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (IGrouping<Instrument, KeyValuePair<(Instrument Instrument, string Labels), Series>> group in
                     _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                Instrument instrument = group.Key;
                string name = instrument.Name.Replace('.', '_');
                string kind = KindOf(instrument);
                string metric = kind == "counter" ? name + "_total" : name;
                text.Append("# HELP ").Append(metric).Append(' ').Append(instrument.Description ?? name).Append('\n');
                text.Append("# TYPE ").Append(metric).Append(' ').Append(kind).Append('\n');
                foreach ((var key, Series series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
                {
                    series.Write(text, metric, key.Labels, kind);
                }
            }

            WriteFeedLatencies(text, _metrics.FeedLatencies);
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The hub's per-feed latency histograms, already bucketed (milliseconds; the bounds of <see cref="FeedLatency.BoundsMs"/>).</summary>
    private static void WriteFeedLatencies(StringBuilder text, IEnumerable<FeedLatency> latencies)
    {
        const string Metric = "marketfeed_feed_latency";
        text.Append("# HELP ").Append(Metric).Append(" Exchange time to receive time of each feed's ticks (ms)\n");
        text.Append("# TYPE ").Append(Metric).Append(" histogram\n");
        foreach (FeedLatency latency in latencies.OrderBy(l => l.Feed, StringComparer.Ordinal))
        {
            string feed = Labels([new KeyValuePair<string, object?>("feed", latency.Feed)]);
            (long[] buckets, double sum, long count) = latency.Total();
            long cumulative = 0;
            for (int i = 0; i < FeedLatency.BoundsMs.Count; i++)
            {
                cumulative += buckets[i];
                text.Append(Metric).Append("_bucket{").Append(feed).Append(",le=\"").Append(Series.Number(FeedLatency.BoundsMs[i])).Append("\"} ").Append(cumulative).Append('\n');
            }

            text.Append(Metric).Append("_bucket{").Append(feed).Append(",le=\"+Inf\"} ").Append(count).Append('\n');
            text.Append(Metric).Append("_sum{").Append(feed).Append("} ").Append(Series.Number(sum)).Append('\n');
            text.Append(Metric).Append("_count{").Append(feed).Append("} ").Append(count).Append('\n');
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length <= 2)
        {
            var key = (instrument, tags.Length > 0 ? tags[0].Value : null, tags.Length > 1 ? tags[1].Value : null);
            if (!_byTagValues.TryGetValue(key, out Series? cached))
            {
                cached = _series.GetOrAdd((instrument, Labels(tags)), static _ => new Series());
                _byTagValues.TryAdd(key, cached);
            }

            cached.Add(instrument, value);
            return;
        }

        _series.GetOrAdd((instrument, Labels(tags)), static _ => new Series()).Add(instrument, value);
    }

    private static string KindOf(Instrument instrument) => instrument switch
    {
        Counter<long> or ObservableCounter<long> => "counter",
        Histogram<double> => "histogram",
        _ => "gauge",
    };

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            string value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{tag.Key}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    /// <summary>One time series: a running sum (counter), the last value (gauge, observable counter) or buckets (histogram).</summary>
    private sealed class Series
    {
        private readonly Lock _gate = new();
        private readonly long[] _buckets = new long[s_bucketBounds.Length + 1];
        private double _value;
        private double _sum;
        private long _count;

        public void Add(Instrument instrument, double value)
        {
            lock (_gate)
            {
                switch (instrument)
                {
                    case Counter<long>:
                        _value += value;
                        break;
                    case Histogram<double>:
                        int bucket = Array.BinarySearch(s_bucketBounds, value);
                        _buckets[bucket >= 0 ? bucket : ~bucket]++;
                        _sum += value;
                        _count++;
                        break;
                    default:
                        _value = value;
                        break;
                }
            }
        }

        public void Write(StringBuilder text, string metric, string labels, string kind)
        {
            lock (_gate)
            {
                if (kind != "histogram")
                {
                    text.Append(metric).Append(Braces(labels)).Append(' ').Append(Number(_value)).Append('\n');
                    return;
                }

                long cumulative = 0;
                for (int i = 0; i < s_bucketBounds.Length; i++)
                {
                    cumulative += _buckets[i];
                    string le = $"le=\"{Number(s_bucketBounds[i])}\"";
                    text.Append(metric).Append("_bucket").Append(Braces(Join(labels, le))).Append(' ').Append(cumulative).Append('\n');
                }

                cumulative += _buckets[^1];
                text.Append(metric).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(cumulative).Append('\n');
                text.Append(metric).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(_sum)).Append('\n');
                text.Append(metric).Append("_count").Append(Braces(labels)).Append(' ').Append(_count).Append('\n');
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
