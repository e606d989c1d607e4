using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Bus.Publishing;

/// <summary>
/// The publisher confirms of one channel, tracked here rather than by the client: with the client's tracking on,
/// publishes started together are throttled by different amounts and reach the broker out of the order they were
/// started. Here each batch is registered under the channel's next publish sequence number before it is written, and
/// its task completes on <c>basic.ack</c> (single or <c>multiple</c>), faults on <c>basic.nack</c>, on a mandatory
/// <c>basic.return</c> (matched by message id) or when the channel shuts down.
/// </summary>
internal sealed class ChannelConfirms
{
    private readonly IChannel _channel;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, (string MessageId, TaskCompletionSource Confirm)> _pending = [];
    private Exception? _closed;

    public ChannelConfirms(IChannel channel)
    {
        _channel = channel;
        channel.BasicAcksAsync += OnAckAsync;
        channel.BasicNacksAsync += OnNackAsync;
        channel.BasicReturnAsync += OnReturnAsync;
        channel.ChannelShutdownAsync += OnShutdownAsync;
    }

    public IChannel Channel => _channel;

    /// <summary>Writes one message and returns the task of its confirm; completes once the message is written, so the caller's order is the wire's.</summary>
    public async Task<Task> PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body)
    {
        ulong seq;
        try
        {
            seq = await _channel.GetNextPublishSequenceNumberAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or InvalidOperationException)
        {
            return Task.FromException(e);
        }

        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closed is not null)
            {
                return Task.FromException(_closed);
            }

            _pending[seq] = (properties.MessageId ?? "", confirm);
        }

        try
        {
            // No cancellation token: a cancelled publish corrupts the channel's confirm bookkeeping in 7.1.2.
            await _channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or InvalidOperationException)
        {
            lock (_lock)
            {
                _pending.Remove(seq);
            }

            confirm.TrySetException(e);
        }

        return confirm.Task;
    }

    private Task OnAckAsync(object sender, BasicAckEventArgs e)
    {
        Complete(e.DeliveryTag, e.Multiple, null);
        return Task.CompletedTask;
    }

    private Task OnNackAsync(object sender, BasicNackEventArgs e)
    {
        Complete(e.DeliveryTag, e.Multiple, new IOException($"the broker refused message {e.DeliveryTag} (basic.nack)"));
        return Task.CompletedTask;
    }

    private Task OnReturnAsync(object sender, BasicReturnEventArgs e)
    {
        // A return comes before the message's ack: fail it now, the ack then finds it done.
        string? messageId = e.BasicProperties.MessageId;
        TaskCompletionSource? returned = null;
        lock (_lock)
        {
            foreach (var (seq, pending) in _pending)
            {
                if (pending.MessageId == messageId)
                {
                    returned = pending.Confirm;
                    _pending.Remove(seq);
                    break;
                }
            }
        }

        returned?.TrySetException(new IOException($"the broker returned message {messageId}: {e.ReplyCode} {e.ReplyText}"));
        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs e)
    {
        var closed = new AlreadyClosedException(e);
        List<TaskCompletionSource> failed;
        lock (_lock)
        {
            _closed = closed;
            failed = [.. _pending.Values.Select(p => p.Confirm)];
            _pending.Clear();
        }

        foreach (TaskCompletionSource confirm in failed)
        {
            confirm.TrySetException(closed);
        }

        return Task.CompletedTask;
    }

    private void Complete(ulong deliveryTag, bool multiple, Exception? refused)
    {
        List<TaskCompletionSource> done = [];
        lock (_lock)
        {
            if (multiple)
            {
                foreach (var (seq, pending) in _pending)
                {
                    if (seq <= deliveryTag)
                    {
                        done.Add(pending.Confirm);
                        _pending.Remove(seq);
                    }
                }
            }
            else if (_pending.Remove(deliveryTag, out var pending))
            {
                done.Add(pending.Confirm);
            }
        }

        foreach (TaskCompletionSource confirm in done)
        {
            if (refused is null)
            {
                confirm.TrySetResult();
            }
            else
            {
                confirm.TrySetException(refused);
            }
        }
    }
}
