using System.Diagnostics;
using MarketFeed.Bus;
using MarketFeed.Bus.Consuming;
using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Publishing;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Simulation;
using RabbitMQ.Client;

namespace MarketFeed.Benchmarks.Bus;

/// <summary>
/// The gateway's side: the simulator feeding a host whose <see cref="BusPublisher"/> publishes every admitted event of
/// 20 instruments (indices, shares, futures; no books) to a bus of its own, read end to end through the same broker by
/// a host on the bus feed (<c>--feed bus</c>) with a subscriber taking every tick. Saturated: the simulator asked for
/// far more than the machine carries, for the given time; published is what the broker confirmed, consumed what the
/// consumer read, both per second of the window (the consumer's until it has as many). Paced: a rate well below
/// saturation, the latency from each tick's admission at the producer (its receive time, stamped as the hub takes it)
/// to its delivery to the subscriber at the consumer.
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
                load.ConsumedEvents / (load.StoredEvents / (double)Math.Max(1, load.Messages)) / load.ConsumeSeconds,
                load.Bytes / (double)Math.Max(1, load.Messages),
                latency.P50Ms,
                latency.P99Ms,
                Lost: load.Lost + latency.Lost)
            {
                EventsPerMessage = load.StoredEvents / (double)Math.Max(1, load.Messages),
                OutOfOrder = load.OutOfOrder + latency.OutOfOrder,
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
        await using MarketFeedHost producer = await MarketFeedHost.StartAsync([simulator], new HubOptions { Partitions = 1 });
        string[] symbols = [.. producer.Instruments.All().Where(i => !i.Symbol.StartsWith("BINANCE:", StringComparison.Ordinal)).Select(i => i.Symbol).Take(20)];
        var options = new BusOptions { Url = broker.ToString(), Name = bus, Shards = Shards, Symbols = string.Join(',', symbols), GatewayId = "bench" };
        BusPublisher publisher = BusPublisher.Start(producer, options);
        long confirmedInWindow;
        double windowSeconds;
        long consumedInWindow;
        double consumeSeconds;
        long lost;
        BusStreamsReader sizes;
        var latency = new LatencyRecorder();
        try
        {
            var ready = Stopwatch.StartNew();
            while (publisher.Status().Publish!.Confirmed == 0 && ready.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            // The consumer is a host on the bus feed, as `--feed bus` runs it; a subscriber on it takes every tick.
            var feed = new BusFeed(new BusOptions { Url = broker.ToString(), Name = bus, Shards = Shards, StartFrom = "first", GatewayId = "bench-consumer" }, TimeProvider.System);
            await using MarketFeedHost consumer = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 });
            bool measuring = false;
            long lastDelivery = 0;
            await using MarketSubscription subscription = consumer.Subscribe(symbols, new SubscriberOptions { TickCapacity = 1 << 20 }).OnTick(tick =>
            {
                Interlocked.Exchange(ref lastDelivery, Stopwatch.GetTimestamp());
                if (Volatile.Read(ref measuring))
                {
                    latency.Record((long)((DateTime.UtcNow - tick.ReceiveTime).TotalSeconds * Stopwatch.Frequency));
                }
            });
            // The window measures the flow, not the start-up: the consumer first catches up with the backlog the
            // producer made while it was starting (it reads the streams from their first message).
            long backlog = ConfirmedEvents(publisher);
            while (Consumed(feed) < backlog && ready.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(10);
            }

            // And the consumer's hub and subscriber work off what the catching up queued.
            await Task.Delay(TimeSpan.FromSeconds(1));
            long confirmedBefore = ConfirmedEvents(publisher);
            long consumedBefore = Consumed(feed);
            long start = Stopwatch.GetTimestamp();
            Volatile.Write(ref measuring, true);
            await Task.Delay(window);
            confirmedInWindow = ConfirmedEvents(publisher) - confirmedBefore;
            windowSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            simulator.Disconnect("benchmark window over");

            // Everything confirmed in the window must arrive; the consumer's time is until it has as many events (the
            // count is an estimate, so a consumer that has been idle for a second is done too).
            var wait = Stopwatch.StartNew();
            while (Consumed(feed) - consumedBefore < confirmedInWindow && wait.Elapsed < TimeSpan.FromSeconds(60)
                && Stopwatch.GetElapsedTime(Interlocked.Read(ref lastDelivery)) < TimeSpan.FromSeconds(1))
            {
                await Task.Delay(5);
            }

            Volatile.Write(ref measuring, false);
            consumedInWindow = Math.Min(confirmedInWindow, Consumed(feed) - consumedBefore);
            consumeSeconds = Stopwatch.GetElapsedTime(start, Math.Max(Interlocked.Read(ref lastDelivery), start + 1)).TotalSeconds;

            // Outside the window: every message the broker confirmed is read back from the streams (its size for the
            // baseline, its events counted as the consumer counts them), and the consumer must have had them all.
            var settle = Stopwatch.StartNew();
            while (publisher.Status().Publish is { } p && p.Confirmed < p.Batches && settle.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            sizes = await BusStreamsReader.StartAsync(broker, bus, Shards);
            await sizes.WaitForMessagesAsync(publisher.Status().Publish!.Confirmed, TimeSpan.FromSeconds(30));
            settle.Restart();
            while (Consumed(feed) < sizes.Events && settle.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            lost = sizes.Events - Consumed(feed);
        }
        finally
        {
            await publisher.DisposeAsync();
        }

        await using (sizes)
        {
            return new Phase(confirmedInWindow, consumedInWindow, sizes.Messages, sizes.Bytes, sizes.Events, lost, sizes.OutOfOrder, windowSeconds, consumeSeconds, latency.PercentileMs(0.50), latency.PercentileMs(0.99));
        }
    }

    private static long Consumed(BusFeed feed) => feed.BusStatus().Consume!.Events;

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

    private sealed record Phase(long PublishedEvents, long ConsumedEvents, long Messages, long Bytes, long StoredEvents, long Lost, long OutOfOrder, double WindowSeconds, double ConsumeSeconds, double P50Ms, double P99Ms);
}
