using System.Diagnostics;
using MarketFeed.Bus;
using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Simulation;
using RabbitMQ.Client;

namespace MarketFeed.Benchmarks.Bus;

/// <summary>
/// The gateway's side: the simulator feeding a host whose <see cref="BusPublisher"/> publishes every admitted event of
/// 20 instruments (indices, shares, futures; no books) to a bus of its own, read end to end by a consumer on the same
/// broker. Saturated: the simulator asked for far more than the machine carries, for the given time; published is
/// what the broker confirmed, consumed what reached the consumer, both per second of the window (the consumer's until it
/// has everything). Paced: a rate well below saturation, the latency from each tick's admission at the producer (its
/// receive time, stamped as the hub takes it) to its delivery at the consumer.
/// </summary>
internal static class GatewayBusRound
{
    private const int Shards = 4;
    private const double SaturatedTicksPerSecond = 2_000_000;

    public static async Task<BusRoundResult> RunAsync(Uri broker, TimeSpan saturated, TimeSpan paced, double pacedEventsPerSecond)
    {
        string bus = $"bench.gw.{Guid.NewGuid():N}";
        try
        {
            Phase load = await RunPhaseAsync(broker, bus + ".sat", SaturatedTicksPerSecond, saturated);
            Phase latency = await RunPhaseAsync(broker, bus + ".paced", pacedEventsPerSecond, paced);
            return new BusRoundResult(
                load.PublishedEvents / load.WindowSeconds,
                load.ConsumedEvents / load.ConsumeSeconds,
                load.Messages / load.ConsumeSeconds,
                load.Bytes / (double)Math.Max(1, load.Messages),
                latency.P50Ms,
                latency.P99Ms,
                Lost: load.PublishedEvents - load.ConsumedEvents + latency.PublishedEvents - latency.ConsumedEvents)
            {
                EventsPerMessage = load.ConsumedEvents / (double)Math.Max(1, load.Messages),
            };
        }
        finally
        {
            await DeleteBusAsync(broker, bus + ".sat");
            await DeleteBusAsync(broker, bus + ".paced");
        }
    }

    private static async Task<Phase> RunPhaseAsync(Uri broker, string bus, double ticksPerSecond, TimeSpan window)
    {
        var simulator = new SimulatorFeed(new SimulatorOptions { TicksPerSecond = ticksPerSecond, StepInterval = TimeSpan.FromMilliseconds(5), Books = false }, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([simulator], new HubOptions { Partitions = 1 });
        string[] symbols = [.. host.Instruments.All().Where(i => !i.Symbol.StartsWith("BINANCE:", StringComparison.Ordinal)).Select(i => i.Symbol).Take(20)];
        var options = new BusOptions { Url = broker.ToString(), Name = bus, Shards = Shards, Symbols = string.Join(',', symbols), GatewayId = "bench" };
        BusPublisher publisher = BusPublisher.Start(host, options);
        try
        {
            await using var consumer = await BusStreamsReader.StartAsync(broker, bus, Shards);
            // Wait until the first events are through, so the window measures the flow, not the start-up.
            var ready = Stopwatch.StartNew();
            while (consumer.Events == 0 && ready.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            consumer.ResetLatency();
            long confirmedBefore = ConfirmedEvents(publisher);
            long consumedBefore = consumer.Events;
            long start = Stopwatch.GetTimestamp();
            await Task.Delay(window);
            long confirmedInWindow = ConfirmedEvents(publisher) - confirmedBefore;
            double windowSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            simulator.Disconnect("benchmark window over");

            // Everything confirmed until now must arrive; the consumer's time is until it has the window's events.
            long target = consumedBefore + confirmedInWindow;
            long lastDelivery = await consumer.WaitForAsync(target, TimeSpan.FromSeconds(60));
            (double p50, double p99) = consumer.Latency();
            return new Phase(
                confirmedInWindow,
                Math.Min(confirmedInWindow, consumer.Events - consumedBefore),
                consumer.Messages,
                consumer.Bytes,
                windowSeconds,
                Stopwatch.GetElapsedTime(start, Math.Max(lastDelivery, start + 1)).TotalSeconds,
                p50,
                p99);
        }
        finally
        {
            await publisher.DisposeAsync();
        }
    }

    /// <summary>Events the broker confirmed: the confirmed batches times the events a batch carries on average.</summary>
    private static long ConfirmedEvents(BusPublisher publisher)
    {
        var status = publisher.Status().Publish!;
        return status.Batches == 0 ? 0 : (long)(status.Events * (double)status.Confirmed / status.Batches);
    }

    private static async Task DeleteBusAsync(Uri broker, string bus)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using IConnection connection = await factory.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        for (int shard = 0; shard < Shards; shard++)
        {
            await channel.QueueDeleteAsync(BusContract.StreamName(bus, shard));
        }

        await channel.ExchangeDeleteAsync(bus);
    }

    private sealed record Phase(long PublishedEvents, long ConsumedEvents, long Messages, long Bytes, double WindowSeconds, double ConsumeSeconds, double P50Ms, double P99Ms);
}
