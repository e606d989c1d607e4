using MarketFeed.Bus.Contract;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MarketFeed.Bus.Publishing;

/// <summary>
/// Makes "each instrument is published by exactly one gateway" a fact the broker keeps, not only a matter of
/// configuration: a gateway publishes a shard only while it holds that shard's lock, an exclusive queue
/// (<see cref="BusContract.OwnerQueueName"/>) declared on a connection of its own. The broker gives an exclusive queue
/// to one connection and deletes it when that connection closes, so a second gateway told to own the same shard stands
/// by (its batches are dropped and counted, status says which shards and why) and takes over when the first one's
/// connection is gone — a crash, a kill or a cut link.
/// </summary>
/// <remarks>
/// The lock connection has no automatic recovery: a recovered connection would declare the queue again on its own and
/// a failure there would stall the client's recovery. Instead, when the connection drops every lock is at once
/// <see cref="ShardOwnership.Unknown"/> (the publisher stops sending that shard) and this loop takes them again.
/// </remarks>
internal sealed partial class ShardLocks : IAsyncDisposable
{
    private const ushort ResourceLocked = 405;

    private readonly BusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int[] _shards;
    // Per slot of _shards, a ShardOwnership; written by the lock loop and the connection's shutdown handler, read by
    // the shard publishers: single ints, exchanged atomically, so no lock is needed.
    private readonly int[] _states;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _run;
    private IConnection? _connection;

    public ShardLocks(BusOptions options, IReadOnlyList<int> shards, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _shards = [.. shards];
        _states = new int[_shards.Length];
        _run = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Whether this gateway may publish <paramref name="shard"/> now.</summary>
    public ShardOwnership State(int shard) => (ShardOwnership)Volatile.Read(ref _states[Slot(shard)]);

    /// <summary>The shards another gateway publishes (this one stands by for them).</summary>
    public IReadOnlyList<int> HeldElsewhere() => [.. _shards.Where(s => State(s) == ShardOwnership.HeldElsewhere).Order()];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        IConnection? connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            // Closing it releases every lock (the broker deletes the queues): nothing to hear about any more.
            connection.ConnectionShutdownAsync -= OnShutdownAsync;
            await QuietClose.ConnectionAsync(connection).ConfigureAwait(false);
        }

        _stopping.Dispose();
        _wake.Dispose();
    }

    private int Slot(int shard) => Array.IndexOf(_shards, shard);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                IConnection? connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                if (connection is not null)
                {
                    foreach (int shard in _shards)
                    {
                        if (State(shard) != ShardOwnership.Held)
                        {
                            await TryTakeAsync(connection, shard, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                // Woken at once when the connection drops; otherwise a shard held elsewhere is tried again after a while.
                await _wake.WaitAsync(_options.ReconnectInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<IConnection?> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        if (_connection is { } broken)
        {
            _connection = null;
            await QuietClose.ConnectionAsync(broken).ConfigureAwait(false);
        }

        try
        {
            ConnectionFactory factory = BusTopology.Factory(_options, "owner");
            factory.AutomaticRecoveryEnabled = false;
            factory.TopologyRecoveryEnabled = false;
            IConnection created = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            created.ConnectionShutdownAsync += OnShutdownAsync;
            _connection = created;
            return created;
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException or System.Net.Sockets.SocketException or ConnectFailureException or TimeoutException or AuthenticationFailureException)
        {
            // The publisher's own connection reports why the broker cannot be reached; the locks stay unknown meanwhile.
            return null;
        }
    }

    private async Task TryTakeAsync(IConnection connection, int shard, CancellationToken cancellationToken)
    {
        string queue = BusContract.OwnerQueueName(_options.Name, shard);
        IChannel? channel = null;
        try
        {
            channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (Set(shard, ShardOwnership.Held) == ShardOwnership.HeldElsewhere)
            {
                LogTakenOver(_logger, shard, queue);
            }
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == ResourceLocked)
        {
            if (Set(shard, ShardOwnership.HeldElsewhere) != ShardOwnership.HeldElsewhere)
            {
                LogHeldElsewhere(_logger, shard, queue);
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException)
        {
            // The connection went while asking: the shutdown handler has made every lock unknown and the loop reconnects.
        }
        finally
        {
            if (channel is not null)
            {
                await QuietClose.ChannelAsync(channel).ConfigureAwait(false);
            }
        }
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs args)
    {
        bool lost = false;
        foreach (int shard in _shards)
        {
            lost |= Set(shard, ShardOwnership.Unknown) == ShardOwnership.Held;
        }

        if (lost && args.Initiator != ShutdownInitiator.Application)
        {
            LogLost(_logger, args.ReplyText);
        }

        _wake.Release();
        return Task.CompletedTask;
    }

    private ShardOwnership Set(int shard, ShardOwnership state) =>
        (ShardOwnership)Interlocked.Exchange(ref _states[Slot(shard)], (int)state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus publisher: shard {Shard} is published by another gateway (it holds {Queue}); standing by, its events are dropped until that gateway is gone")]
    private static partial void LogHeldElsewhere(ILogger logger, int shard, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus publisher: the gateway that published shard {Shard} is gone; this one publishes it now ({Queue})")]
    private static partial void LogTakenOver(ILogger logger, int shard, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bus publisher: the connection holding the shard locks dropped ({Reason}); publishing pauses until they are taken again")]
    private static partial void LogLost(ILogger logger, string reason);
}
