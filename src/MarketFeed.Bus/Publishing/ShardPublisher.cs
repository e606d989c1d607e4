using System.Threading.Channels;
using MarketFeed.Bus.Contract;
using MarketFeed.Health;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Bus.Publishing;

/// <summary>
/// Publishes one shard's batches, in order, on a channel only its own task touches (RabbitMQ.Client 7.1.2 must not
/// see concurrent publishes or per-publish cancellation on a confirming channel). Each batch is written before the next
/// is started, so the stream holds them in the order they were numbered; their confirms are tracked by
/// <see cref="ChannelConfirms"/>, up to <see cref="BusOptions.MaxUnconfirmed"/> in flight. A batch leaves
/// the outbox only once confirmed: when the channel or connection fails, every unconfirmed batch is sent again, in
/// order, on a new channel (consumers drop the duplicates by batch number). The outbox is bounded: when full, a new
/// batch is dropped and its events counted — the firehose reader never waits for the broker. Nothing is sent while the
/// shard's lock (<see cref="ShardLocks"/>) is not this gateway's.
/// </summary>
internal sealed partial class ShardPublisher
{
    /// <summary>How often a shard standing by looks at its lock again (the lock loop itself retries less often).</summary>
    private static readonly TimeSpan StandByPoll = TimeSpan.FromMilliseconds(50);

    private readonly int _shard;
    private readonly int _slot;
    private readonly BusOptions _options;
    private readonly BusConnection _connection;
    private readonly ShardLocks _locks;
    private readonly PublishCounters _counters;
    private readonly FeedLatency _confirmLatency;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _messagePrefix;
    private readonly Channel<OutboxBatch> _queue = Channel.CreateUnbounded<OutboxBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _held;
    private int _unconfirmed;

    public ShardPublisher(int shard, int slot, BusOptions options, string messagePrefix, BusConnection connection, ShardLocks locks, PublishCounters counters, FeedLatency confirmLatency, TimeProvider time, ILogger logger)
    {
        _locks = locks;
        _shard = shard;
        _slot = slot;
        _options = options;
        _messagePrefix = messagePrefix;
        _connection = connection;
        _counters = counters;
        _confirmLatency = confirmLatency;
        _time = time;
        _logger = logger;
    }

    /// <summary>Batches held: waiting, in flight, or sent and not yet confirmed.</summary>
    public int Held => Volatile.Read(ref _held);

    public int Unconfirmed => Volatile.Read(ref _unconfirmed);

    /// <summary>Queues a sealed batch; false (its events counted as dropped) when the outbox is full.</summary>
    public bool TryEnqueue(OutboxBatch batch)
    {
        if (Interlocked.Increment(ref _held) > _options.OutboxBatches)
        {
            Interlocked.Decrement(ref _held);
            Interlocked.Add(ref _counters.Dropped, batch.Events);
            batch.Release();
            return false;
        }

        _queue.Writer.TryWrite(batch);
        return true;
    }

    /// <summary>No more batches: <see cref="RunAsync"/> publishes what is held and returns (or gives up at cancellation).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var inFlight = new Queue<(OutboxBatch Batch, Task Confirm, long SentAt)>();
        var resend = new Queue<OutboxBatch>();
        ChannelConfirms? channel = null;
        bool completed = false;
        try
        {
            while (!(completed && inFlight.Count == 0 && resend.Count == 0))
            {
                if (channel is null || channel.Channel.IsClosed)
                {
                    channel = await OpenChannelAsync(channel, cancellationToken).ConfigureAwait(false);
                }

                // Fill the window: first what must be sent again, then new batches — only while the shard is this gateway's.
                bool mayPublish = _locks.State(_shard) == ShardOwnership.Held;
                while (mayPublish && inFlight.Count < _options.MaxUnconfirmed && (resend.TryDequeue(out OutboxBatch? batch) || _queue.Reader.TryRead(out batch)))
                {
                    long sentAt = _time.GetTimestamp();
                    inFlight.Enqueue((batch, await PublishAsync(channel, batch).ConfigureAwait(false), sentAt));
                }

                Volatile.Write(ref _unconfirmed, inFlight.Count);
                if (!mayPublish && inFlight.Count == 0)
                {
                    completed = await StandByAsync(resend, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (inFlight.Count == 0)
                {
                    completed = !await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Task oldest = inFlight.Peek().Confirm;
                if (!oldest.IsCompleted)
                {
                    if (mayPublish && inFlight.Count < _options.MaxUnconfirmed && !completed)
                    {
                        Task<bool> more = _queue.Reader.WaitToReadAsync(cancellationToken).AsTask();
                        await Task.WhenAny(oldest, more).ConfigureAwait(false);
                        completed = more.IsCompletedSuccessfully && !more.Result;
                    }
                    else
                    {
                        await Task.WhenAny(oldest).WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                bool failed = false;
                while (inFlight.TryPeek(out var head) && head.Confirm.IsCompleted)
                {
                    inFlight.Dequeue();
                    if (head.Confirm.IsCompletedSuccessfully)
                    {
                        DateTime now = _time.GetUtcNow().UtcDateTime;
                        _confirmLatency.Record(_slot, now - _time.GetElapsedTime(head.SentAt), now);
                        Interlocked.Increment(ref _counters.Confirmed);
                        Interlocked.Add(ref _counters.ConfirmedEvents, head.Batch.Events);
                        Interlocked.Decrement(ref _held);
                        head.Batch.Release();
                    }
                    else
                    {
                        failed = true;
                        _ = head.Confirm.Exception;
                        resend.Enqueue(head.Batch);
                        LogPublishFailed(_logger, _shard, head.Batch.BatchSeq, head.Confirm.Exception?.InnerException?.Message ?? "cancelled");
                        break;
                    }
                }

                if (failed)
                {
                    // Everything after the failed one is sent again too, in order, on a new channel.
                    while (inFlight.TryDequeue(out var rest))
                    {
                        _ = rest.Confirm.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                        resend.Enqueue(rest.Batch);
                    }

                    Interlocked.Add(ref _counters.Republished, resend.Count);
                    await QuietClose.ChannelAsync(channel.Channel).ConfigureAwait(false);
                    channel = null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var (batch, confirm, _) in inFlight)
            {
                _ = confirm.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                Interlocked.Add(ref _counters.Dropped, batch.Events);
            }

            foreach (OutboxBatch batch in resend)
            {
                Interlocked.Add(ref _counters.Dropped, batch.Events);
            }

            while (_queue.Reader.TryRead(out OutboxBatch? left))
            {
                Interlocked.Add(ref _counters.Dropped, left.Events);
                left.Release();
            }

            if (channel is not null)
            {
                await QuietClose.ChannelAsync(channel.Channel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits a moment while the shard is not this gateway's: batches of a shard another gateway publishes are dropped
    /// (and counted), those waiting for a lock not known yet are kept. True once the outbox is completed and empty.
    /// </summary>
    private async Task<bool> StandByAsync(Queue<OutboxBatch> resend, CancellationToken cancellationToken)
    {
        if (_locks.State(_shard) == ShardOwnership.HeldElsewhere)
        {
            while (resend.TryDequeue(out OutboxBatch? batch) || _queue.Reader.TryRead(out batch))
            {
                Interlocked.Decrement(ref _held);
                Interlocked.Add(ref _counters.Dropped, batch.Events);
                batch.Release();
            }
        }

        if (_queue.Reader.Completion.IsCompleted && resend.Count == 0)
        {
            return true;
        }

        await Task.Delay(StandByPoll, _time, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private Task<Task> PublishAsync(ChannelConfirms channel, OutboxBatch batch)
    {
        var properties = new BasicProperties
        {
            ContentType = BusContract.ContentType,
            Type = BusContract.MessageType,
            MessageId = _messagePrefix + batch.BatchSeq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AppId = _options.EffectiveGatewayId,
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(_time.GetUtcNow().ToUnixTimeSeconds()),
        };
        return channel.PublishAsync(_options.Name, batch.RoutingKey, properties, batch.Body);
    }

    private async Task<ChannelConfirms> OpenChannelAsync(ChannelConfirms? broken, CancellationToken cancellationToken)
    {
        if (broken is not null)
        {
            await QuietClose.ChannelAsync(broken.Channel).ConfigureAwait(false);
        }

        while (true)
        {
            IConnection connection = await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Confirms on, the client's tracking off: its limiter would reorder the publishes (see ChannelConfirms).
                var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false);
                IChannel channel = await connection.CreateChannelAsync(options, cancellationToken).ConfigureAwait(false);
                var confirms = new ChannelConfirms(channel);
                await BusTopology.DeclareAsync(channel, _options, [_shard], cancellationToken).ConfigureAwait(false);
                return confirms;
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException)
            {
                _connection.Fail($"shard {_shard}: cannot open a publishing channel: {e.Message.Split('\n')[0]}");
                await Task.Delay(_options.ReconnectInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus publisher: shard {Shard} batch {BatchSeq} not confirmed ({Reason}); sending the unconfirmed batches again")]
    private static partial void LogPublishFailed(ILogger logger, int shard, long batchSeq, string reason);
}
