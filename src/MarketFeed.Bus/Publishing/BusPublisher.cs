using MarketFeed.Bus.Contract;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Taps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Bus.Publishing;

/// <summary>
/// Publishes what a host's hub admits to the bus (docs/bus.md). It reads a firehose of its own on its own task — the
/// hub never waits for it; a firehose that overflows drops and counts — and batches each owned shard's events by
/// channel and venue (at most <see cref="BusOptions.BatchEvents"/> events, <see cref="BusOptions.BatchBytes"/> bytes,
/// <see cref="BusOptions.Linger"/> old) into that shard's outbox. Every instrument event carries the next number of
/// the instrument's sequence on its channel; numbers and the epoch are resumed from
/// <see cref="BusOptions.StateDirectory"/> across restarts. Heartbeats, health changes and periodic state rounds ride
/// the same streams.
/// </summary>
public sealed partial class BusPublisher : IAsyncDisposable
{
    private readonly MarketFeedHost _host;
    private readonly BusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BusConnection _connection;
    private readonly ShardLocks _locks;
    private readonly SequenceStore _store;
    private readonly Firehose _firehose;
    private readonly Dictionary<int, ShardPublisher> _publishers = [];
    private readonly Dictionary<int, ShardBatches> _batches = [];
    private readonly PublishCounters _counters = new();
    private readonly FeedLatency _confirmLatency;
    private readonly List<Lease> _leases = [];
    private readonly List<Task> _shardRuns = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _pump;
    private PublishedInstrument?[] _owned = new PublishedInstrument?[1024];
    private readonly List<PublishedInstrument> _defined = [];
    private long _lastHeartbeat;
    private long _lastSecond;
    private long _lastStateRound;
    private long _eventsAtLastSecond;
    private double _rate;

    private BusPublisher(MarketFeedHost host, BusOptions options, ILoggerFactory loggerFactory)
    {
        options.Validate();
        _host = host;
        _options = options;
        _time = host.Time;
        _logger = loggerFactory.CreateLogger("MarketFeed.Bus");
        Shards = options.OwnedShards();
        GatewayId = options.EffectiveGatewayId;
        _store = SequenceStore.Open(options.StateDirectory, GatewayId, _time.GetUtcNow().UtcDateTime);
        _connection = new BusConnection(options, "publisher", _time, _logger);
        _locks = new ShardLocks(options, Shards, _time, _logger);
        _confirmLatency = new FeedLatency("bus", Shards.Count);
        string prefix = $"{GatewayId}:{Epoch}:";
        for (int i = 0; i < Shards.Count; i++)
        {
            int shard = Shards[i];
            _publishers[shard] = new ShardPublisher(shard, i, options, $"{prefix}{shard}:", _connection, _locks, _counters, _confirmLatency, _time, _logger);
            _batches[shard] = new ShardBatches(shard);
        }

        LogStarting(_logger, GatewayId, Epoch, string.Join(',', Shards), options.Shards, options.RedactedUrl, options.StateDirectory ?? "nowhere (sequences restart)");
        _firehose = host.Hub.AttachFirehose(new FirehoseOptions());
        SubscribeConfiguredSymbols();
        foreach (ShardPublisher publisher in _publishers.Values)
        {
            _shardRuns.Add(Task.Run(() => publisher.RunAsync(_abort.Token)));
        }

        _lastHeartbeat = _lastSecond = _lastStateRound = _time.GetTimestamp();
        _pump = Task.Run(PumpAsync);
    }

    public string GatewayId { get; }

    /// <summary>This run's epoch: above every earlier run's of this gateway (and the clock's Unix seconds).</summary>
    public uint Epoch => _store.Epoch;

    public IReadOnlyList<int> Shards { get; }

    /// <summary>The name the broker lists for this publisher's connection.</summary>
    public string ConnectionName => _connection.ClientName;

    /// <summary>Starts publishing <paramref name="host"/>'s events; a broker that cannot be reached is retried (status says why), the host serves on.</summary>
    public static BusPublisher Start(MarketFeedHost host, BusOptions options, ILoggerFactory? loggerFactory = null) =>
        new(host, options, loggerFactory ?? NullLoggerFactory.Instance);

    public BusStatus Status()
    {
        int held = _publishers.Values.Sum(p => p.Held);
        int unconfirmed = _publishers.Values.Sum(p => p.Unconfirmed);
        var publish = new BusPublishStatus(
            Epoch,
            Shards,
            Interlocked.Read(ref _counters.Events),
            Math.Round(Volatile.Read(ref _rate), 1),
            Interlocked.Read(ref _counters.Batches),
            Interlocked.Read(ref _counters.Confirmed),
            Interlocked.Read(ref _counters.Republished),
            Interlocked.Read(ref _counters.Dropped) + _firehose.Dropped,
            held,
            unconfirmed,
            _confirmLatency.LastMinute(_time.GetUtcNow().UtcDateTime),
            _locks.HeldElsewhere());
        string? standingBy = publish.StandingBy.Count == 0 ? null
            : $"shard{(publish.StandingBy.Count == 1 ? "" : "s")} {string.Join(',', publish.StandingBy)} published by another gateway (check Bus:Owns); standing by";
        return new BusStatus("publisher", _connection.State, _options.RedactedUrl, GatewayId, _connection.Error ?? standingBy, publish, null);
    }

    /// <summary>Publishes what is still pending (a last heartbeat says the producer stops), waits a few seconds for confirms, then disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        foreach (ShardPublisher publisher in _publishers.Values)
        {
            publisher.Complete();
        }

        await Task.WhenAny(Task.WhenAll(_shardRuns), Task.Delay(TimeSpan.FromSeconds(5), _time)).ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_shardRuns).ConfigureAwait(false);
        _store.Save();
        foreach (Lease lease in _leases)
        {
            lease.Dispose();
        }

        await _firehose.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _locks.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task PumpAsync()
    {
        var reader = new Reader(this);
        Task<bool>? waiting = null;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                _firehose.Drain(ref reader, 4_096);
                Housekeep();
                if (_firehose.Pending > 0)
                {
                    continue;
                }

                waiting ??= _firehose.WaitToReadAsync(_stopping.Token).AsTask();
                await Task.WhenAny(waiting, Task.Delay(_options.Linger, _time, _stopping.Token)).ConfigureAwait(false);
                if (waiting.IsCompleted)
                {
                    waiting = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogPumpFailed(_logger, e);
            _connection.Fail($"publishing stopped: {e.Message}");
        }

        if (waiting is not null)
        {
            await Task.WhenAny(waiting).ConfigureAwait(false);
        }

        _firehose.Drain(ref reader);
        foreach (ShardBatches shard in _batches.Values)
        {
            SealAll(shard);
            Heartbeat(shard, stopping: true);
        }

        _store.Save();
    }

    private void Housekeep()
    {
        long now = _time.GetTimestamp();
        foreach (ShardBatches shard in _batches.Values)
        {
            foreach (OpenBatch open in shard.Open.Values)
            {
                if (!open.Writer.IsEmpty && _time.GetElapsedTime(open.OpenedAt, now) >= _options.Linger)
                {
                    Seal(shard, open);
                }
            }
        }

        if (_time.GetElapsedTime(_lastHeartbeat, now) >= _options.HeartbeatInterval)
        {
            _lastHeartbeat = now;
            foreach (ShardBatches shard in _batches.Values)
            {
                Heartbeat(shard, stopping: false);
            }
        }

        if (_time.GetElapsedTime(_lastSecond, now) >= TimeSpan.FromSeconds(1))
        {
            double seconds = _time.GetElapsedTime(_lastSecond, now).TotalSeconds;
            long events = Interlocked.Read(ref _counters.Events);
            Volatile.Write(ref _rate, (events - _eventsAtLastSecond) / seconds);
            _eventsAtLastSecond = events;
            _lastSecond = now;
            bool round = _time.GetElapsedTime(_lastStateRound, now) >= _options.StateInterval;
            if (round)
            {
                _lastStateRound = now;
            }

            PublishHealth(round);
            _store.Save();
        }
    }

    /// <summary>Health changes of the instruments published so far; in a state round, everything known about each again.</summary>
    private void PublishHealth(bool stateRound)
    {
        foreach (PublishedInstrument owned in _defined)
        {
            InstrumentStatus status = _host.Health.Instrument(owned.Instrument);
            bool changed = status.State != owned.LastState || status.Error != owned.LastError;
            if (stateRound)
            {
                AddInstrumentDefinition(owned);
                if (_host.Hub.Quotes.TryGetLatest(owned.Instrument.Id, out Tick latest))
                {
                    OpenBatch open = Batch(owned, BusChannel.Tick);
                    open.Writer.AddTick(owned.Symbol, _store.Current(owned.Symbol, BusChannel.Tick), stateRound: true, in latest);
                    Added(owned, open);
                }
            }

            if (changed || stateRound)
            {
                owned.LastState = status.State;
                owned.LastError = status.Error;
                OpenBatch open = Batch(owned, BusChannel.State);
                long seq = changed ? _store.Next(owned.Symbol, BusChannel.State) : _store.Current(owned.Symbol, BusChannel.State);
                open.Writer.AddHealth(owned.Symbol, seq, stateRound: !changed, status.State, status.Error);
                Added(owned, open);
            }
        }
    }

    private void OnTick(in Tick tick)
    {
        if (Resolve(tick.Instrument) is not { } owned)
        {
            return;
        }

        OpenBatch open = Batch(owned, BusChannel.Tick);
        open.Writer.AddTick(owned.Symbol, _store.Next(owned.Symbol, BusChannel.Tick), stateRound: false, in tick);
        Added(owned, open);
    }

    private void OnCandle(in CandleEvent candle)
    {
        if (Resolve(candle.Instrument) is not { } owned)
        {
            return;
        }

        // A revision (the venue's official bar, or a backfilled one) travels as candleRevised, never as a second close.
        bool revised = (candle.Candle.Flags & (CandleFlags.Revised | CandleFlags.Backfilled)) != 0;
        OpenBatch open = Batch(owned, BusChannel.Candle);
        open.Writer.AddCandle(owned.Symbol, _store.Next(owned.Symbol, BusChannel.Candle), candle.Interval, candle.Candle, candle.Seq, revised);
        Added(owned, open);
    }

    /// <summary>The instrument if this process owns its shard (cached per id); its definition goes out before its first event.</summary>
    private PublishedInstrument? Resolve(InstrumentId id)
    {
        if ((uint)id.Value < (uint)_owned.Length && _owned[id.Value] is { } known)
        {
            return known.IsOwned ? known : null;
        }

        if (!_host.Instruments.TryGet(id, out Instrument? instrument))
        {
            return null;
        }

        int shard = BusContract.ShardOf(instrument.Symbol, _options.Shards);
        var owned = new PublishedInstrument(instrument, shard, _batches.ContainsKey(shard));
        if (id.Value >= _owned.Length)
        {
            Array.Resize(ref _owned, Math.Max(_owned.Length * 2, id.Value + 1));
        }

        _owned[id.Value] = owned;
        if (!owned.IsOwned)
        {
            return null;
        }

        _defined.Add(owned);
        AddInstrumentDefinition(owned);
        return owned;
    }

    private void AddInstrumentDefinition(PublishedInstrument owned)
    {
        OpenBatch open = Batch(owned, BusChannel.State);
        open.Writer.AddInstrument(owned.Instrument, _store.Current(owned.Symbol, BusChannel.State), stateRound: true);
        Added(owned, open);
    }

    private void SubscribeConfiguredSymbols()
    {
        string symbols = _options.Symbols.Trim();
        if (symbols.Length == 0)
        {
            return;
        }

        IEnumerable<Instrument> wanted = symbols == "*"
            ? _host.Instruments.All()
            : symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(_host.Resolve);
        foreach (Instrument instrument in wanted)
        {
            if (_batches.ContainsKey(BusContract.ShardOf(instrument.Symbol, _options.Shards)))
            {
                _leases.Add(_host.Subscriptions.Acquire(instrument.Id, FeedMode.Quote));
            }
        }

        LogSubscribed(_logger, _leases.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "bus publisher {GatewayId} epoch {Epoch}: shards {Owned} of {Shards} to {Url}; sequence marks kept in {StateDirectory}")]
    private static partial void LogStarting(ILogger logger, string gatewayId, uint epoch, string owned, int shards, string url, string stateDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "bus publisher: subscribed {Count} instruments of its shards (Bus:Symbols)")]
    private static partial void LogSubscribed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "bus publisher: the firehose reader failed")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception);

    /// <summary>Hands each firehose event, in place, to the publisher.</summary>
    private readonly struct Reader(BusPublisher owner) : IFirehoseReader
    {
        public void OnTick(in Tick tick) => owner.OnTick(in tick);

        public void OnCandleClosed(in CandleEvent candle) => owner.OnCandle(in candle);

        // The new bar carries Revised or Backfilled: it goes out as candleRevised.
        public void OnCandleRevised(in CandleRevision revision) => owner.OnCandle(new CandleEvent(revision.Instrument, revision.Interval, revision.New, revision.Seq));

        public void OnBook(in FirehoseBook book) => owner.OnBook(in book);
    }
}
