using System.Collections.Concurrent;
using System.Diagnostics;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Feeds;

/// <summary>
/// The machinery every streaming venue shares. It follows the desired set (leases) for the venue's instruments,
/// assigns each instrument to a connection within the venue's <see cref="ShardingLimits"/> and keeps it there, runs
/// one <see cref="StreamConnection"/> per shard (each reconnecting and resubscribing its share on its own), keeps
/// the feed's health state, and — when no data has flowed for longer than <see cref="FeedSessionOptions.FailoverAfter"/>
/// — polls the wanted instruments over REST until the stream flows again.
/// </summary>
/// <remarks>
/// Health is derived from data flow, never from socket state: the feed is <c>connected</c> while every connection
/// delivers frames, <c>polling</c> only while REST rounds succeed, <c>disconnected</c> when the stream is down and REST
/// fails too, <c>auth_failed</c> when either rejects the credentials. Anything a venue sends is contained to its frame.
/// </remarks>
public sealed partial class FeedSession
{
    private readonly Lock _gate = new();
    private readonly Func<InstrumentId, bool> _isMine;
    private readonly IQuotePoller? _poller;
    private readonly bool _forcePolling;
    private readonly Dictionary<InstrumentId, (int Shard, FeedMode Mode)> _assigned = [];
    private readonly Dictionary<int, int> _shardLoad = [];
    private readonly Dictionary<int, int> _shardStreams = [];
    private readonly List<StreamConnection> _connections = [];
    private readonly List<Task> _connectionRuns = [];
    private readonly HashSet<int> _everFlowed = [];
    private readonly ConcurrentQueue<DesiredChange> _changes = new();
    private readonly ConcurrentDictionary<string, byte> _loggedProblems = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly ConcurrentDictionary<InstrumentId, byte> _snapshotsWanted = new();
    private readonly SemaphoreSlim _snapshotRequested = new(0);
    private readonly ControlBatch _batch = new();
    private CancellationTokenSource _credentialsChanged = new();
    private CancellationTokenSource? _pollRound;
    private CancellationToken _running;
    private DateTime? _downSince;
    private bool _authFailed;
    private bool _polling;
    private PollOutcome _pollOutcome;

    // Why the stream and the REST polling last failed, kept apart so that while both are down the feed's error names
    // both, whichever failed last (written and read under _gate).
    private string? _streamError;
    private string? _pollError;
    private long _overCapacity;

    public FeedSession(string name, IStreamProtocol protocol, FeedSessionOptions options, FeedContext context, FeedHealth health, Func<InstrumentId, bool> isMine, IQuotePoller? poller = null)
    {
        options.Validate();
        Name = name;
        Protocol = protocol;
        Options = options;
        Context = context;
        Health = health;
        _isMine = isMine;
        _poller = poller;
        _forcePolling = context.ForcePolling;
        Health.PollingForced = _forcePolling;
    }

    private enum PollOutcome
    {
        None,
        Succeeded,
        Failed,
    }

    public string Name { get; }

    public FeedSessionOptions Options { get; }

    public FeedHealth Health { get; }

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
        if (_forcePolling)
        {
            // Nothing wanted is nothing failing: a polling feed is ready until a round fails.
            Health.SetState(_poller is null ? FeedState.Disconnected : FeedState.Polling, _poller is null
                ? "polling was set (Feeds:" + Name + ":Mode = Polling) but this feed cannot poll over REST"
                : "polling over REST on purpose (Feeds:" + Name + ":Mode = Polling)");
        }

        Context.Subscriptions.Changed += OnDesiredChanged;
        Context.Sink.BookSnapshotNeeded += OnBookSnapshotNeeded;
        try
        {
            lock (_gate)
            {
                foreach (DesiredSubscription desired in Context.Subscriptions.Desired(_isMine))
                {
                    Assign(desired.Instrument, desired.Mode);
                }

                EnsureConnection(0);

                // Nothing is open yet (each connection subscribes its share once it is): this only empties the batch.
                SendBatch();
            }

            await Task.WhenAll(ReconcileLoopAsync(cancellationToken), FailoverLoopAsync(cancellationToken), BookSnapshotLoopAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Context.Subscriptions.Changed -= OnDesiredChanged;
            Context.Sink.BookSnapshotNeeded -= OnBookSnapshotNeeded;
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

    /// <summary>
    /// The venue's credentials may have changed (configuration reloaded): connections and polling waiting out an
    /// authentication failure retry now instead of after <see cref="FeedSessionOptions.AuthRetryDelay"/>.
    /// </summary>
    public void NotifyCredentialsChanged() => Interlocked.Exchange(ref _credentialsChanged, new CancellationTokenSource()).Cancel();

    /// <summary>The instruments (with modes) a connection must subscribe after it connects.</summary>
    internal IReadOnlyList<DesiredSubscription> ShareOf(int shard)
    {
        lock (_gate)
        {
            return [.. _assigned.Where(a => a.Value.Shard == shard).Select(a => new DesiredSubscription(a.Key, a.Value.Mode))];
        }
    }

    /// <summary>
    /// The messages subscribing <paramref name="subscriptions"/>, in batches of the venue's size. A batch the protocol
    /// cannot phrase is retried one instrument at a time; an instrument that still throws is counted and left out, so
    /// one bad instrument never keeps a connection from coming back.
    /// </summary>
    internal IReadOnlyList<ControlMessage> SubscribeMessages(IReadOnlyList<DesiredSubscription> subscriptions)
    {
        var messages = new List<ControlMessage>();
        foreach (DesiredSubscription[] batch in subscriptions.Chunk(Math.Max(1, Protocol.Limits.InstrumentsPerMessage)))
        {
            try
            {
                messages.AddRange([.. Protocol.Subscribe(batch)]);
            }
            catch (Exception) when (batch.Length > 1)
            {
                foreach (DesiredSubscription one in batch)
                {
                    try
                    {
                        messages.AddRange([.. Protocol.Subscribe([one])]);
                    }
                    catch (Exception e)
                    {
                        ReportHandlerError("subscribe", e);
                    }
                }
            }
            catch (Exception e)
            {
                ReportHandlerError("subscribe", e);
            }
        }

        return messages;
    }

    /// <summary>
    /// Opens <paramref name="connection"/>'s new socket to subscription changes together with queueing its share, under
    /// the lock every change is sent under: each change is then either in the share or sent after it. Returns the share's size.
    /// </summary>
    internal int Open(StreamConnection connection, bool adopted)
    {
        lock (_gate)
        {
            IReadOnlyList<DesiredSubscription> share = ShareOf(connection.Index);
            connection.OpenWith(share, adopted);
            return share.Count;
        }
    }

    /// <summary>The first frame arrived on a connection: it is up (again, unless <paramref name="handedOver"/>: a make-before-break successor is no reconnect).</summary>
    internal void ReportFlowing(int shard, int instruments, bool handedOver = false)
    {
        Logger.Connected(Name, shard, instruments);
        lock (_gate)
        {
            if (!_everFlowed.Add(shard) && !handedOver)
            {
                Health.CountReconnect();
            }

            _authFailed = false;
            RefreshState();
        }
    }

    /// <summary>A connection was replaced by one opened beside it (make before break): no drop, no gap in data.</summary>
    internal void ReportHandover(int shard, string reason)
    {
        Health.CountHandover();
        Logger.HandedOver(Name, shard, FeedHealth.Sanitize(reason)!);
    }

    /// <summary>A connection attempt ended. The stream counts as down since its last frame (or now, if none came).</summary>
    internal void ReportDisconnected(int shard, string reason, DateTime? lastFrameUtc, TimeSpan retryIn)
    {
        if (lastFrameUtc is not null)
        {
            // It had been up: a real drop, worth a warning. Failed attempts while down only reach the log at debug.
            Logger.Dropped(Name, shard, FeedHealth.Sanitize(reason)!, retryIn);
        }
        else
        {
            Logger.AttemptFailed(Name, shard, FeedHealth.Sanitize(reason)!, retryIn);
        }

        lock (_gate)
        {
            _downSince ??= lastFrameUtc ?? Time.GetUtcNow().UtcDateTime;
            _streamError = reason;
            RefreshState(reason);
            if (Health.State != FeedState.Disconnected)
            {
                // (Disconnected, REST failing too, records an error naming both.)
                Health.RecordError(reason);
            }
        }
    }

    /// <summary>A connection's socket ended while its make-before-break replacement is still opening: no data flows on it meanwhile.</summary>
    internal void ReportStalled(int shard, string reason, DateTime? lastFrameUtc)
    {
        lock (_gate)
        {
            _downSince ??= lastFrameUtc ?? Time.GetUtcNow().UtcDateTime;
            RefreshState($"connection {shard}: {reason}");
        }
    }

    internal void ReportAuthFailed(int shard, string reason, DateTime? lastFrameUtc)
    {
        lock (_gate)
        {
            _authFailed = true;
            _downSince ??= lastFrameUtc ?? Time.GetUtcNow().UtcDateTime;
            Health.SetConnections(_connections.Count(c => c.IsFlowing));
            Health.SetState(FeedState.AuthFailed, reason);
        }
    }

    internal void ReportMalformed(string kind)
    {
        Health.CountMalformedFrame();
        LogOnce(kind, "counted and skipped", null);
    }

    internal void ReportOversizedFrame(long bytes)
    {
        Health.CountOversizedFrame();
        LogOnce("oversized frame", $"{bytes} bytes, limit {Options.MaxFrameBytes}: drained, counted and skipped", null);
    }

    /// <summary>An exception while handling one frame or step: contained there, counted, logged once per kind.</summary>
    internal void ReportHandlerError(string where, Exception exception)
    {
        Health.CountHandlerError();
        LogOnce($"{where}: {exception.GetType().Name}", "contained, counted; the connection goes on", exception);
    }

    /// <summary>
    /// How long to wait before the next attempt: the backoff's delay, at most <see cref="FeedSessionOptions.RecoveryProbeInterval"/>
    /// once past failover (so the switch back to the stream is prompt), less the time the failed attempt itself took
    /// (a mute socket already waited out the idle timeout).
    /// </summary>
    internal TimeSpan RetryDelay(TimeSpan backoffDelay, TimeSpan spentInAttempt)
    {
        TimeSpan delay = backoffDelay;
        lock (_gate)
        {
            if (_downSince is { } since && Time.GetUtcNow().UtcDateTime - since >= Options.FailoverAfter && delay > Options.RecoveryProbeInterval)
            {
                delay = Options.RecoveryProbeInterval;
            }
        }

        delay -= spentInAttempt;
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    /// <summary>
    /// Cancelled by the next <see cref="NotifyCredentialsChanged"/>. Read it before an attempt and wait on that, so
    /// credentials changed while the attempt was under way (with the old ones) still end the wait after its rejection.
    /// </summary>
    internal CancellationToken CredentialsChanged => Volatile.Read(ref _credentialsChanged).Token;

    /// <summary>
    /// Waits <paramref name="delay"/>; after an authentication failure, <paramref name="credentialsChanged"/> (read
    /// before the failed attempt; <see cref="CancellationToken.None"/> otherwise) ends the wait early.
    /// </summary>
    internal async Task WaitBeforeRetryAsync(TimeSpan delay, CancellationToken credentialsChanged, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        if (!credentialsChanged.CanBeCanceled)
        {
            await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, credentialsChanged);
        try
        {
            await Task.Delay(delay, Time, wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Logger.CredentialsChanged(Name);
        }
    }

    private void LogOnce(string kind, string detail, Exception? exception)
    {
        if (_loggedProblems.TryAdd(kind, 0))
        {
            Logger.FrameProblem(Name, kind, detail, exception);
        }
    }

    private void OnBookSnapshotNeeded(InstrumentId instrument)
    {
        // Raised on a hub partition: only queue (a set, so a burst of requests for one book fetches once).
        if (_isMine(instrument) && _snapshotsWanted.TryAdd(instrument, 0))
        {
            _snapshotRequested.Release();
        }
    }

    /// <summary>Fetches book snapshots the hub asked for, one at a time (the venue's REST rate applies), and publishes them.</summary>
    private async Task BookSnapshotLoopAsync(CancellationToken cancellationToken)
    {
        if (Protocol is not IBookSnapshotSource source)
        {
            return;
        }

        while (true)
        {
            await _snapshotRequested.WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (InstrumentId instrument in _snapshotsWanted.Keys)
            {
                _snapshotsWanted.TryRemove(instrument, out _);
                try
                {
                    if (await source.GetBookSnapshotAsync(instrument, cancellationToken).ConfigureAwait(false) is { } snapshot)
                    {
                        Health.CountBookSnapshot();
                        await Context.Sink.PublishAsync(snapshot, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The book keeps waiting; the hub asks again after a while.
                    Health.RecordError("book snapshot failed: " + e.Message);
                }
            }
        }
    }

    /// <summary>
    /// Keeps one connection's task alive. <see cref="StreamConnection.RunAsync"/> handles every failure it knows of;
    /// should it still end before the session stops, that is reported and the connection is started again.
    /// </summary>
    private async Task SuperviseAsync(StreamConnection connection)
    {
        while (!_running.IsCancellationRequested)
        {
            string reason;
            try
            {
                await connection.RunAsync(_running).ConfigureAwait(false);
                reason = "connection task ended";
            }
            catch (OperationCanceledException) when (_running.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ReportHandlerError("connection task", e);
                reason = $"connection task failed: {e.GetType().Name}: {e.Message}";
            }

            if (_running.IsCancellationRequested)
            {
                return;
            }

            ReportDisconnected(connection.Index, reason + "; restarted", null, Options.ReconnectBaseDelay);
            await Task.Delay(Options.ReconnectBaseDelay, Time, _running).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private void RefreshState(string? reason = null)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread, "state is derived under the session lock");
        if (_forcePolling)
        {
            RefreshForcedPollingState();
            return;
        }

        int flowing = _connections.Count(c => c.IsFlowing);
        Health.SetConnections(flowing);
        if (flowing == _connections.Count)
        {
            // The stream is whole again: polling stops now, and a round in flight is abandoned (its ticks dropped).
            _downSince = null;
            StopPolling();
        }

        if (_authFailed)
        {
            return;
        }

        (FeedState state, string? why) = (flowing == _connections.Count, Volatile.Read(ref _polling), _pollOutcome) switch
        {
            (true, _, _) => (FeedState.Connected, reason),
            (false, true, PollOutcome.Succeeded) => (FeedState.Polling, "stream down: polling over REST"),
            (false, true, PollOutcome.Failed) => (FeedState.Disconnected, $"stream down ({_streamError ?? "no connection yet"}) and REST polling failing ({_pollError})"),
            _ => (FeedState.Reconnecting, reason),
        };
        Health.SetState(state, why);
        if (state == FeedState.Disconnected)
        {
            // Still down, for a new reason (another failed connection attempt, another REST failure): the error shown
            // keeps naming both, never only the one that failed last.
            Health.RecordError(why!);
        }
    }

}
