using System.Diagnostics.Metrics;
using MarketFeed.Health;
using MarketFeed.Hosting;

namespace MarketFeed.Server.Metrics;

/// <summary>The message bus in <c>/metrics</c> (<c>marketfeed_bus_*</c>): nothing when the gateway uses no bus.</summary>
internal static class BusMetrics
{
    private static readonly string[] States = ["connected", "connecting", "error"];

    public static void Register(Meter meter, MarketFeedHost host)
    {
        meter.CreateObservableGauge("marketfeed.bus.state", () => State(host.BusStatus()), description: "1 for the broker connection's current state (connected, connecting, error), 0 for the others, by role (publisher, consumer)");
        meter.CreateObservableCounter("marketfeed.bus.published.events", () => Publish(host, p => p.Events), description: "Events put into batches for the bus");
        meter.CreateObservableGauge("marketfeed.bus.published.events_per_second", () => PublishRate(host), description: "Events batched for the bus per second, over the last second");
        meter.CreateObservableCounter("marketfeed.bus.published.batches", () => Publish(host, p => p.Batches), description: "Batches (messages) sealed for the bus");
        meter.CreateObservableCounter("marketfeed.bus.confirmed.batches", () => Publish(host, p => p.Confirmed), description: "Batches the broker confirmed");
        meter.CreateObservableCounter("marketfeed.bus.republished.batches", () => Publish(host, p => p.Republished), description: "Batches sent again after a failed channel or connection");
        meter.CreateObservableCounter("marketfeed.bus.dropped.events", () => Publish(host, p => p.Dropped), description: "Events lost before the broker: outbox full (broker away) or firehose overflow");
        meter.CreateObservableGauge("marketfeed.bus.buffered.batches", () => Publish(host, p => p.Buffered), description: "Batches held now: waiting, in flight or unconfirmed");
        meter.CreateObservableGauge("marketfeed.bus.standing_by.shards", () => Publish(host, p => p.StandingBy.Count), description: "Owned shards another gateway publishes now (this one stands by for them)");
        meter.CreateObservableGauge("marketfeed.bus.unconfirmed.batches", () => Publish(host, p => p.Unconfirmed), description: "Batches sent and not yet confirmed");
        meter.CreateObservableGauge("marketfeed.bus.confirm.latency.ms", () => Latency(host.BusStatus()?.Publish?.ConfirmLatency), description: "Publish to broker confirm over the last minute, by quantile (0.5, 0.99)");
        meter.CreateObservableCounter("marketfeed.bus.consumed.events", () => Consume(host, c => c.Events), description: "Events taken from the bus");
        meter.CreateObservableGauge("marketfeed.bus.consumed.events_per_second", () => ConsumeRate(host), description: "Events taken from the bus per second, over the last second");
        meter.CreateObservableCounter("marketfeed.bus.consumed.batches", () => Consume(host, c => c.Batches), description: "Batches (messages) read from the bus");
        meter.CreateObservableCounter("marketfeed.bus.gaps", () => Consume(host, c => c.Gaps), description: "Sequence gaps found (per instrument and channel, or in a producer's batch numbers)");
        meter.CreateObservableCounter("marketfeed.bus.duplicates", () => Consume(host, c => c.Duplicates), description: "Events or batches seen twice and dropped");
        meter.CreateObservableCounter("marketfeed.bus.skipped", () => Skipped(host.BusStatus()?.Consume), description: "Messages skipped, by reason (damaged, unknown_version)");
        meter.CreateObservableGauge("marketfeed.bus.delivery.latency.ms", () => Latency(host.BusStatus()?.Consume?.Latency), description: "Receive time at the producer to delivery here over the last minute, by quantile (0.5, 0.99)");
        meter.CreateObservableGauge("marketfeed.bus.producers", () => Producers(host.BusStatus()?.Consume), description: "Producers heard, by state (live, silent, stopped)");
    }

    private static IEnumerable<Measurement<int>> State(BusStatus? bus) =>
        bus is null ? [] : [.. States.Select(s => new Measurement<int>(s == bus.State ? 1 : 0, new("role", bus.Role), new("state", s)))];

    private static IEnumerable<Measurement<long>> Publish(MarketFeedHost host, Func<BusPublishStatus, long> value) =>
        host.BusStatus()?.Publish is { } publish ? [new Measurement<long>(value(publish))] : [];

    private static IEnumerable<Measurement<double>> PublishRate(MarketFeedHost host) =>
        host.BusStatus()?.Publish is { } publish ? [new Measurement<double>(publish.EventsPerSecond)] : [];

    private static IEnumerable<Measurement<long>> Consume(MarketFeedHost host, Func<BusConsumeStatus, long> value) =>
        host.BusStatus()?.Consume is { } consume ? [new Measurement<long>(value(consume))] : [];

    private static IEnumerable<Measurement<double>> ConsumeRate(MarketFeedHost host) =>
        host.BusStatus()?.Consume is { } consume ? [new Measurement<double>(consume.EventsPerSecond)] : [];

    private static IEnumerable<Measurement<long>> Skipped(BusConsumeStatus? consume) =>
        consume is null ? [] : [new(consume.Damaged, new KeyValuePair<string, object?>("reason", "damaged")), new(consume.UnknownVersion, new KeyValuePair<string, object?>("reason", "unknown_version"))];

    private static IEnumerable<Measurement<double>> Latency(LatencySummary? latency) =>
        latency is null ? [] : [new(latency.P50Ms, new KeyValuePair<string, object?>("quantile", "0.5")), new(latency.P99Ms, new KeyValuePair<string, object?>("quantile", "0.99"))];

    private static IEnumerable<Measurement<int>> Producers(BusConsumeStatus? consume) =>
        consume is null ? [] : [.. new[] { "live", "silent", "stopped" }.Select(s => new Measurement<int>(consume.Producers.Count(p => p.State == s), new KeyValuePair<string, object?>("state", s)))];
}
