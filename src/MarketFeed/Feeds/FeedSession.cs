using System.Collections.Concurrent;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

/// <summary>
/// The machinery every streaming venue shares. It follows the desired set (leases) for the venue's instruments,
/// assigns each instrument to a connection within the venue's <see cref="ShardingLimits"/> and keeps it there, runs
/// one <see cref="StreamConnection"/> per shard (each reconnecting and resubscribing its share on its own), keeps
/// the feed's health state, and — when the stream has been down longer than
/// <see cref="FeedSessionOptions.FailoverAfter"/> — polls the wanted instruments over REST until it is back.
/// </summary>
public sealed class FeedSession
{
    private readonly Lock _gate = new();
    private readonly Func<InstrumentId, bool> _isMine;
    private readonly IQuotePoller? _poller;
    private readonly Dictionary<InstrumentId, (int Shard, FeedMode Mode)> _assigned = [];
    private readonly Dictionary<int, int> _shardLoad = [];
    private readonly List<StreamConnection> _connections = [];
    private readonly List<Task> _connectionRuns = [];
    private readonly HashSet<int> _everConnected = [];
    private readonly ConcurrentQueue<DesiredChange> _changes = new();
    private readonly SemaphoreSlim _changed = new(0);
    private CancellationToken _running;
    private DateTime? _downSince;
    private bool _authFailed;
    private bool _polling;
    private long _malformed;
    private long _overCapacity;

    public FeedSession(string name, IStreamProtocol protocol, FeedSessionOptions options, FeedContext context, FeedHealth health, Func<InstrumentId, bool> isMine, IQuotePoller? poller = null)
    {
        Name = name;
        Protocol = protocol;
        Options = options;
        Context = context;
        Health = health;
        _isMine = isMine;
        _poller = poller;
    }

    public string Name { get; }

    public FeedSessionOptions Options { get; }

    public FeedHealth Health { get; }

    /// <summary>Binary or text frames that could not be read: counted and skipped, the connection stays up.</summary>
    public long MalformedFrames => Interlocked.Read(ref _malformed);

    /// <summary>Wanted instruments beyond the venue's capacity, never subscribed.</summary>
    public long OverCapacity => Interlocked.Read(ref _overCapacity);

    public bool IsPolling => Volatile.Read(ref _polling);

    internal IStreamProtocol Protocol { get; }

    internal FeedContext Context { get; }

    internal TimeProvider Time => Context.Time;

    internal ILogger Logger => Context.Logger;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _running = cancellationToken;
        Health.SetState(FeedState.Connecting);
        Context.Subscriptions.Changed += OnDesiredChanged;
        try
        {
            lock (_gate)
            {
                foreach (DesiredSubscription desired in Context.Subscriptions.Desired(_isMine))
                {
                    Assign(desired.Instrument, desired.Mode);
                }

                EnsureConnection(0);
            }

            await Task.WhenAll(ReconcileLoopAsync(cancellationToken), FailoverLoopAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Context.Subscriptions.Changed -= OnDesiredChanged;
            Task[] runs;
            lock (_gate)
            {
                runs = [.. _connectionRuns];
            }

            await Task.WhenAll(runs).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            Health.SetConnections(0);
            Health.SetState(FeedState.Stopped);
        }
    }

    /// <summary>The instruments (with modes) a connection must subscribe after it connects.</summary>
    internal IReadOnlyList<DesiredSubscription> ShareOf(int shard)
    {
        lock (_gate)
        {
            return [.. _assigned.Where(a => a.Value.Shard == shard).Select(a => new DesiredSubscription(a.Key, a.Value.Mode))];
        }
    }

    internal IEnumerable<string> SubscribeMessages(IReadOnlyList<DesiredSubscription> subscriptions) =>
        subscriptions.Chunk(Math.Max(1, Protocol.Limits.InstrumentsPerMessage)).SelectMany(batch => Protocol.Subscribe(batch));

    internal void ReportConnected(int shard, int instruments)
    {
        Logger.Connected(Name, shard, instruments);
        lock (_gate)
        {
            if (!_everConnected.Add(shard))
            {
                Health.CountReconnect();
            }

            _authFailed = false;
            RefreshState();
        }
    }

    internal void ReportDisconnected(int shard, string reason)
    {
        Health.RecordError(reason);
        lock (_gate)
        {
            _downSince ??= Time.GetUtcNow().UtcDateTime;
            RefreshState(reason);
        }
    }

    internal void ReportAuthFailed(int shard, string reason)
    {
        lock (_gate)
        {
            _authFailed = true;
            _downSince ??= Time.GetUtcNow().UtcDateTime;
            Health.SetState(FeedState.AuthFailed, reason);
        }
    }

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    private void OnDesiredChanged(DesiredChange change)
    {
        // Called under the subscription manager's lock: only queue, the reconcile loop does the work.
        if (_isMine(change.Instrument))
        {
            _changes.Enqueue(change);
            _changed.Release();
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                while (_changes.TryDequeue(out DesiredChange change))
                {
                    if (change.After is { } mode)
                    {
                        Assign(change.Instrument, mode);
                    }
                    else
                    {
                        Unassign(change.Instrument);
                    }
                }
            }
        }
    }

    /// <summary>Puts an instrument on a connection with room (or changes its mode there) and tells that connection.</summary>
    private void Assign(InstrumentId instrument, FeedMode mode)
    {
        ShardingLimits limits = Protocol.Limits;
        if (_assigned.TryGetValue(instrument, out (int Shard, FeedMode Mode) existing))
        {
            _assigned[instrument] = (existing.Shard, mode);
            SendTo(existing.Shard, Protocol.Subscribe([new DesiredSubscription(instrument, mode)]));
            return;
        }

        int shard = -1;
        for (int i = 0; i < limits.Connections; i++)
        {
            if (_shardLoad.GetValueOrDefault(i) < limits.InstrumentsPerConnection)
            {
                shard = i;
                break;
            }
        }

        if (shard < 0)
        {
            Interlocked.Increment(ref _overCapacity);
            Logger.OverCapacity(Name, _assigned.Count + 1, limits.Capacity, 1);
            return;
        }

        _assigned[instrument] = (shard, mode);
        _shardLoad[shard] = _shardLoad.GetValueOrDefault(shard) + 1;
        EnsureConnection(shard);
        SendTo(shard, Protocol.Subscribe([new DesiredSubscription(instrument, mode)]));
    }

    private void Unassign(InstrumentId instrument)
    {
        if (_assigned.Remove(instrument, out (int Shard, FeedMode Mode) held))
        {
            _shardLoad[held.Shard]--;
            SendTo(held.Shard, Protocol.Unsubscribe([instrument]));
        }
    }

    private void SendTo(int shard, IEnumerable<string> messages)
    {
        if (shard < _connections.Count)
        {
            foreach (string message in messages)
            {
                _connections[shard].Send(message);
            }
        }
    }

    private void EnsureConnection(int shard)
    {
        while (_connections.Count <= shard)
        {
            var connection = new StreamConnection(this, _connections.Count);
            _connections.Add(connection);
            _connectionRuns.Add(Task.Run(() => connection.RunAsync(_running), CancellationToken.None));
        }
    }

    private void RefreshState(string? reason = null)
    {
        int up = _connections.Count(c => c.IsConnected);
        Health.SetConnections(up);
        if (up == _connections.Count)
        {
            // The stream is whole again: polling stops now (a round already in flight may still land).
            _downSince = null;
            Volatile.Write(ref _polling, false);
        }

        if (_authFailed)
        {
            return;
        }

        FeedState state = up == _connections.Count ? FeedState.Connected : Volatile.Read(ref _polling) ? FeedState.Polling : FeedState.Reconnecting;
        Health.SetState(state, reason);
    }

    /// <summary>While the stream is down past the failover time, polls wanted instruments over REST at the poller's rate.</summary>
    private async Task FailoverLoopAsync(CancellationToken cancellationToken)
    {
        if (_poller is null)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            DateTime? downSince;
            InstrumentId[] wanted;
            lock (_gate)
            {
                downSince = _downSince;
                wanted = [.. _assigned.Keys];
            }

            bool shouldPoll = downSince is { } since && Time.GetUtcNow().UtcDateTime - since >= Options.FailoverAfter && wanted.Length > 0;
            if (shouldPoll != Volatile.Read(ref _polling))
            {
                Volatile.Write(ref _polling, shouldPoll);
                lock (_gate)
                {
                    RefreshState(shouldPoll ? "stream down: polling over REST" : null);
                }
            }

            if (!shouldPoll)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                foreach (Tick tick in await _poller.PollAsync(wanted, cancellationToken).ConfigureAwait(false))
                {
                    await Context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Health.RecordError("REST polling failed: " + e.Message);
            }

            await Task.Delay(_poller.Interval, Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
