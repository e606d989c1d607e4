using System.Buffers.Binary;
using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MarketFeed.Benchmarks.Bus;

/// <summary>
/// The baseline: a bare RabbitMQ.Client publisher and stream consumer and nothing else. Messages of a given size (the
/// size the gateway's batches have) go to a fresh stream with publisher confirms (a window of outstanding confirms,
/// awaited in halves), while a consumer on its own connection reads the stream from the first offset with a prefetch
/// and multiple acks. The first 8 bytes of each body carry the publish time, so the consumer measures the latency.
/// </summary>
internal static class BareStreamRound
{
    private const int ConfirmWindow = 512;
    private const ushort Prefetch = 1_000;
    private const int AckEvery = 250;

    public static async Task<BusRoundResult> RunAsync(Uri broker, int messageBytes, int eventsPerMessage, TimeSpan saturated, TimeSpan paced, double pacedEventsPerSecond)
    {
        string stream = $"bench.bare.{Guid.NewGuid():N}";
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "bench-bare" };
        await using IConnection publishing = await factory.CreateConnectionAsync();
        await using IConnection consuming = await factory.CreateConnectionAsync();
        await using IChannel publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(ConfirmWindow)));
        await publisher.QueueDeclareAsync(stream, durable: true, exclusive: false, autoDelete: false, arguments: BusStreams.Arguments);
        try
        {
            await using var consumer = await StreamReader.StartAsync(consuming, stream);
            var body = new byte[messageBytes];
            Random.Shared.NextBytes(body);

            // Saturated: as fast as the confirm window lets the publisher go; the consumer reads along.
            long start = Stopwatch.GetTimestamp();
            long published = await PublishAsync(publisher, stream, body, saturated, messagesPerSecond: 0);
            double publishSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long lastDelivery = await consumer.WaitForAsync(published);
            double consumeSeconds = Stopwatch.GetElapsedTime(start, lastDelivery).TotalSeconds;

            // Paced: well below saturation, so the latency is the path's, not a queue's.
            consumer.ResetLatency();
            long paced1 = await PublishAsync(publisher, stream, body, paced, pacedEventsPerSecond / eventsPerMessage);
            await consumer.WaitForAsync(published + paced1);
            (double p50, double p99) = consumer.Latency();

            return new BusRoundResult(
                published * eventsPerMessage / publishSeconds,
                published * eventsPerMessage / consumeSeconds,
                published / consumeSeconds,
                messageBytes,
                p50,
                p99,
                Lost: published + paced1 - consumer.Delivered)
            {
                EventsPerMessage = eventsPerMessage,
            };
        }
        finally
        {
            await publisher.QueueDeleteAsync(stream);
        }
    }

    private static async Task<long> PublishAsync(IChannel channel, string stream, byte[] body, TimeSpan duration, double messagesPerSecond)
    {
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/octet-stream" };
        var pending = new List<ValueTask>(ConfirmWindow / 2);
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            if (messagesPerSecond > 0)
            {
                double due = sent / messagesPerSecond;
                double now = clock.Elapsed.TotalSeconds;
                if (due > now)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.001, due - now)));
                    continue;
                }
            }

            BinaryPrimitives.WriteInt64LittleEndian(body, Stopwatch.GetTimestamp());
            // The body is copied into the outgoing frame before the call returns its pending confirm.
            pending.Add(channel.BasicPublishAsync(string.Empty, stream, mandatory: false, properties, body));
            sent++;
            if (pending.Count == ConfirmWindow / 2 || messagesPerSecond > 0)
            {
                foreach (ValueTask confirm in pending)
                {
                    await confirm;
                }

                pending.Clear();
            }
        }

        foreach (ValueTask confirm in pending)
        {
            await confirm;
        }

        return sent;
    }

    /// <summary>A bare stream consumer counting deliveries and recording each one's latency from its publish time.</summary>
    private sealed class StreamReader : IAsyncDisposable
    {
        private readonly IChannel _channel;
        private readonly LatencyRecorder _latency = new();
        private long _delivered;
        private long _lastDelivery;
        private int _unacked;

        private StreamReader(IChannel channel) => _channel = channel;

        public long Delivered => Interlocked.Read(ref _delivered);

        public static async Task<StreamReader> StartAsync(IConnection connection, string stream)
        {
            IChannel channel = await connection.CreateChannelAsync();
            await channel.BasicQosAsync(0, Prefetch, global: false);
            var reader = new StreamReader(channel);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += reader.OnReceivedAsync;
            await channel.BasicConsumeAsync(stream, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
                arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "first" }, consumer);
            return reader;
        }

        public async Task<long> WaitForAsync(long count)
        {
            var deadline = Stopwatch.StartNew();
            while (Delivered < count && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }

            return Interlocked.Read(ref _lastDelivery);
        }

        public void ResetLatency() => _latency.Reset();

        public (double P50, double P99) Latency() => (_latency.PercentileMs(0.50), _latency.PercentileMs(0.99));

        public async ValueTask DisposeAsync()
        {
            await _channel.CloseAsync();
            _channel.Dispose();
        }

        private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
        {
            long now = Stopwatch.GetTimestamp();
            _latency.Record(now - BinaryPrimitives.ReadInt64LittleEndian(delivery.Body.Span));
            Interlocked.Exchange(ref _lastDelivery, now);
            Interlocked.Increment(ref _delivered);
            if (++_unacked >= AckEvery)
            {
                _unacked = 0;
                await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }
        }
    }
}
