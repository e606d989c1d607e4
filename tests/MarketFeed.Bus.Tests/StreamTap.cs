using System.Collections.Concurrent;
using MarketFeed.Bus.Contract;
using MarketFeed.Bus.Tests.Contract;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MarketFeed.Bus.Tests;

/// <summary>A bare RabbitMQ.Client reader of one shard stream from its first message, decoding every batch (what a test checks a publisher against).</summary>
internal sealed class StreamTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private StreamTap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public ConcurrentQueue<(BusBatchHeader Header, RecordingVisitor Events, long Offset)> Batches { get; } = new();

    public ConcurrentQueue<string> Refused { get; } = new();

    public static async Task<StreamTap> OpenAsync(string bus, int shard)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestBroker.Url), ClientProvidedName = "marketfeed-test-tap" };
        IConnection connection = await factory.CreateConnectionAsync();
        for (int attempt = 0; ; attempt++)
        {
            // A consumer on a stream that is still being set up can make the broker close the whole connection
            // (541 INTERNAL_ERROR on 3.10), not only the channel: then the next try needs a new connection.
            if (!connection.IsOpen)
            {
                await connection.DisposeAsync();
                connection = await factory.CreateConnectionAsync();
            }

            IChannel channel = await connection.CreateChannelAsync();
            try
            {
                // The publisher declares the stream when its channel opens, and a stream just declared can refuse a
                // consumer for a moment ("does not have a replica on the local node"): wait for both.
                await channel.QueueDeclarePassiveAsync(BusContract.StreamName(bus, shard));
                var tap = new StreamTap(connection, channel);
                await channel.BasicQosAsync(0, 500, false);
                var reader = new BusBatchReader();
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    long offset = delivery.BasicProperties.Headers?["x-stream-offset"] is long o ? o : -1;
                    var events = new RecordingVisitor();
                    try
                    {
                        BusBatchHeader header = reader.Read(delivery.Body.Span, events);
                        tap.Batches.Enqueue((header, events, offset));
                    }
                    catch (BusContractException e)
                    {
                        tap.Refused.Enqueue(e.Message);
                    }

                    await channel.BasicAckAsync(delivery.DeliveryTag, false);
                };
                await channel.BasicConsumeAsync(BusContract.StreamName(bus, shard), autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
                    arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "first" }, consumer);
                return tap;
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException && attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task<bool> WaitAsync(Func<StreamTap, bool> condition, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (condition(this))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition(this);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        await _connection.DisposeAsync();
    }
}
