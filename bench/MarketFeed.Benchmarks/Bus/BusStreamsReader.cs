using System.Diagnostics;
using MarketFeed.Books;
using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Health;
using MarketFeed.Instruments;
using MarketFeed.Model;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Benchmarks.Bus;

/// <summary>
/// Reads every shard stream of a bus from its first message with bare RabbitMQ.Client consumers and the contract's
/// decoder: counts messages, bytes and the events a consumer counts as data (ticks other than state rounds, book
/// messages, candles), and records each tick's latency from its receive time.
/// </summary>
internal sealed class BusStreamsReader : IAsyncDisposable, IBusEventVisitor
{
    private const ushort Prefetch = 1_000;
    private const int AckEvery = 250;

    private readonly IConnection _connection;
    private readonly List<IChannel> _channels = [];
    private readonly LatencyRecorder _latency = new();
    private readonly Lock _gate = new();
    private readonly BusBatchReader _reader = new();
    private readonly Dictionary<(string Gateway, int Shard), long> _lastBatch = [];
    private long _events;
    private long _messages;
    private long _bytes;
    private long _lastDelivery;
    private long _outOfOrder;

    private BusStreamsReader(IConnection connection) => _connection = connection;

    public long Events => Interlocked.Read(ref _events);

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Batches not numbered one above the previous batch of their producer and shard in the stream.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public static async Task<BusStreamsReader> StartAsync(Uri broker, string bus, int shards)
    {
        IConnection connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "bench-bus-reader" }.CreateConnectionAsync();
        var reader = new BusStreamsReader(connection);
        for (int shard = 0; shard < shards; shard++)
        {
            reader._channels.Add(await reader.ConsumeAsync(BusContract.StreamName(bus, shard)));
        }

        return reader;
    }

    public async Task<long> WaitForAsync(long events, TimeSpan timeout) => await WaitAsync(() => Events >= events, timeout);

    public async Task<long> WaitForMessagesAsync(long messages, TimeSpan timeout) => await WaitAsync(() => Messages >= messages, timeout);

    private async Task<long> WaitAsync(Func<bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < timeout)
        {
            await Task.Delay(5);
        }

        return Interlocked.Read(ref _lastDelivery);
    }

    public void ResetLatency() => _latency.Reset();

    public (double P50, double P99) Latency() => (_latency.PercentileMs(0.50), _latency.PercentileMs(0.99));

    public async ValueTask DisposeAsync()
    {
        foreach (IChannel channel in _channels)
        {
            await channel.CloseAsync();
            channel.Dispose();
        }

        await _connection.CloseAsync();
        _connection.Dispose();
    }

    void IBusEventVisitor.OnTick(in BusEvent header, in Tick tick)
    {
        if (!header.IsStateRound)
        {
            Interlocked.Increment(ref _events);
            _latency.Record((long)((DateTime.UtcNow - tick.ReceiveTime).TotalSeconds * Stopwatch.Frequency));
        }
    }

    void IBusEventVisitor.OnBook(in BusEvent header, BookUpdate book) => Interlocked.Increment(ref _events);

    void IBusEventVisitor.OnCandle(in BusEvent header, CandleInterval interval, in Candle candle, long candleSeq, bool revised) => Interlocked.Increment(ref _events);

    void IBusEventVisitor.OnHealth(in BusEvent header, InstrumentHealthState state, string? error)
    {
    }

    void IBusEventVisitor.OnInstrument(in BusEvent header, Instrument definition)
    {
    }

    bool IBusEventVisitor.OnBatch(in BusBatchHeader header)
    {
        // Each producer's batches of a shard must be in the stream in the order it numbered them.
        if (_lastBatch.TryGetValue((header.GatewayId, header.Shard), out long last) && header.BatchSeq != last + 1)
        {
            Interlocked.Increment(ref _outOfOrder);
        }

        _lastBatch[(header.GatewayId, header.Shard)] = header.BatchSeq;
        return true;
    }

    void IBusEventVisitor.OnHeartbeat(bool stopping, int instruments)
    {
    }

    void IBusEventVisitor.OnUnknownKind(byte kind)
    {
    }

    private async Task<IChannel> ConsumeAsync(string stream)
    {
        // The publisher declares its streams when it connects: the reader may start first.
        for (int attempt = 0; ; attempt++)
        {
            IChannel channel = await _connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeclarePassiveAsync(stream);
            }
            catch (OperationInterruptedException) when (attempt < 300)
            {
                channel.Dispose();
                await Task.Delay(100);
                continue;
            }

            await channel.BasicQosAsync(0, Prefetch, global: false);
            int unacked = 0;
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                lock (_gate)
                {
                    _reader.Read(delivery.Body.Span, this);
                }

                Interlocked.Increment(ref _messages);
                Interlocked.Add(ref _bytes, delivery.Body.Length);
                Interlocked.Exchange(ref _lastDelivery, Stopwatch.GetTimestamp());
                if (++unacked >= AckEvery)
                {
                    unacked = 0;
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
                }
            };
            await channel.BasicConsumeAsync(stream, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
                arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "first" }, consumer);
            return channel;
        }
    }
}
