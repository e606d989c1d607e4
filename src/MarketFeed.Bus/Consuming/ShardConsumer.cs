using MarketFeed.Bus.Contract;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Bus.Consuming;

/// <summary>
/// Reads one shard's stream over AMQP 0.9.1: prefetch set before consuming (streams require it), manual acks as
/// credit every quarter prefetch, and the offset of every delivery remembered, so that when the client's automatic
/// recovery re-subscribes after a blip it starts at the next offset instead of the original start (the client would
/// replay from <see cref="BusOptions.StartFrom"/> again). A channel closed by the broker while the connection stays
/// up (the stream not declared yet, deleted) is reopened at the next offset by this class.
/// </summary>
internal sealed partial class ShardConsumer
{
    private readonly BusOptions _options;
    private readonly BusConnection _connection;
    private readonly Func<ReadOnlyMemory<byte>, long, ValueTask> _handle;
    private readonly ILogger _logger;
    private readonly object _start;
    private long _lastOffset = -1;
    private long _redelivered;
    private string? _consumerTag;

    public ShardConsumer(int shard, BusOptions options, BusConnection connection, object start, Func<ReadOnlyMemory<byte>, long, ValueTask> handle, ILogger logger)
    {
        Shard = shard;
        _options = options;
        _connection = connection;
        _start = start;
        _handle = handle;
        _logger = logger;
    }

    public int Shard { get; }

    public string Stream => BusContract.StreamName(_options.Name, Shard);

    /// <summary>The offset of the last message handled (-1: none yet).</summary>
    public long LastOffset => Interlocked.Read(ref _lastOffset);

    /// <summary>Consumer re-subscriptions rewritten to resume at the next offset.</summary>
    public int Resumed { get; private set; }

    /// <summary>Deliveries at or below the last offset handled (a re-subscription that started too early), skipped.</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    /// <summary>Recovery is about to re-subscribe a consumer: this shard's resumes after its last offset.</summary>
    public Task OnRecoveringConsumerAsync(object sender, RecoveringConsumerEventArgs args)
    {
        if (args.ConsumerTag == _consumerTag && args.ConsumerArguments is { } arguments && LastOffset >= 0)
        {
            arguments["x-stream-offset"] = LastOffset + 1;
            Resumed++;
            LogResumed(_logger, Stream, LastOffset + 1);
        }

        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IChannel? channel = null;
            try
            {
                IConnection connection = await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                IChannel current = channel;
                await channel.QueueDeclarePassiveAsync(Stream, cancellationToken).ConfigureAwait(false);
                await channel.BasicQosAsync(0, _options.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
                var consumer = new AsyncEventingBasicConsumer(channel);
                long unacked = 0;
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    long offset = delivery.BasicProperties.Headers?.TryGetValue("x-stream-offset", out object? value) == true && value is long o ? o : -1;
                    if (offset < 0 || offset > LastOffset)
                    {
                        await _handle(delivery.Body, offset).ConfigureAwait(false);
                        if (offset >= 0)
                        {
                            Interlocked.Exchange(ref _lastOffset, offset);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref _redelivered);
                    }

                    if (++unacked >= Math.Max(1, _options.Prefetch / 4))
                    {
                        unacked = 0;
                        await current.BasicAckAsync(delivery.DeliveryTag, multiple: true).ConfigureAwait(false);
                    }
                };

                // Always a dictionary (never null): recovery hands this same instance to OnRecoveringConsumerAsync.
                var arguments = new Dictionary<string, object?> { ["x-stream-offset"] = LastOffset >= 0 ? LastOffset + 1 : _start };
                _consumerTag = await channel.BasicConsumeAsync(Stream, autoAck: false, consumerTag: "", noLocal: false, exclusive: false, arguments, consumer, cancellationToken).ConfigureAwait(false);

                // The client recovers the channel with the connection; a channel the broker closed alone is ours to reopen.
                long closedSince = 0;
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
                    if (channel.IsOpen || !connection.IsOpen)
                    {
                        closedSince = 0;
                        continue;
                    }

                    closedSince = closedSince == 0 ? Environment.TickCount64 : closedSince;
                    if (Environment.TickCount64 - closedSince > 1_000)
                    {
                        LogChannelClosed(_logger, Stream, channel.CloseReason?.ReplyText ?? "closed");
                        break;
                    }
                }
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                _connection.Fail($"stream {Stream} does not exist yet (no producer has declared it); waiting");
                await DelayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException)
            {
                LogChannelClosed(_logger, Stream, e.Message.Split('\n')[0]);
                await DelayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                if (channel is not null)
                {
                    await QuietClose.ChannelAsync(channel).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.ReconnectInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "bus consumer: {Stream} resumes at offset {Offset} after the connection recovered")]
    private static partial void LogResumed(ILogger logger, string stream, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus consumer: {Stream} channel closed ({Reason}); reopening at the next offset")]
    private static partial void LogChannelClosed(ILogger logger, string stream, string reason);
}
