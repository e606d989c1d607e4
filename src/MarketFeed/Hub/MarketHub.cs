using System.Collections.Concurrent;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.History;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Taps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Hub;

/// <summary>
/// The single writer of live state. Feeds publish ticks into bounded per-partition queues; each partition's loop
/// admits them, updates the <see cref="QuoteBook"/> and candles, and posts to subscribers' mailboxes. A clock timer
/// closes candles at their boundaries even when no tick arrives.
/// </summary>
public sealed class MarketHub : IFeedSink, IAsyncDisposable
{
    private readonly HubPartition[] _partitions;
    private readonly Lock _subscribersGate = new();
    private readonly List<HubSubscriber> _subscribers = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _clock;
    private Firehose[] _firehoses = [];
    private readonly ConcurrentDictionary<string, FeedLatency> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _candleGrace = new(StringComparer.Ordinal);
    private readonly CandleBootstrap _bootstrap;
    private long _historyFailures;
    private long _ingestFull;
    private int _started;

    public MarketHub(InstrumentRegistry registry, SubscriptionManager subscriptions, HubOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        Registry = registry;
        Subscriptions = subscriptions;
        Options = options ?? new HubOptions();
        Options.Validate();
        Time = time ?? TimeProvider.System;
        Log = logger ?? NullLogger.Instance;
        _bootstrap = new CandleBootstrap(this);
        _partitions = new HubPartition[Options.Partitions];
        for (int i = 0; i < _partitions.Length; i++)
        {
            _partitions[i] = new HubPartition(this, i);
        }
    }

    public InstrumentRegistry Registry { get; }

    public SubscriptionManager Subscriptions { get; }

    public HubOptions Options { get; }

    public TimeProvider Time { get; }

    public QuoteBook Quotes { get; } = new();

    internal SubscriberIndex Index { get; } = new();

    internal ILogger Log { get; }

    /// <summary>Exchange-to-receive latency of each feed that has delivered a tick with an exchange time, by feed name.</summary>
    public IReadOnlyCollection<FeedLatency> Latencies => [.. _latencies.Values.OrderBy(l => l.Feed, StringComparer.Ordinal)];

    /// <summary>The latency histogram of <paramref name="feed"/> (created on first use).</summary>
    /// <summary>
    /// Bars of <paramref name="feed"/>'s instruments close <paramref name="grace"/> after their boundary when that is longer
    /// than <see cref="CandleOptions.Grace"/> (a relayed feed, see <see cref="IRelayedFeed"/>). Applies to the
    /// instruments the hub starts watching afterwards: set it before the feed runs.
    /// </summary>
    public void UseCandleGrace(string feed, TimeSpan grace) => _candleGrace[feed] = grace;

    /// <summary>How long after a boundary bars of <paramref name="feed"/>'s instruments close.</summary>
    internal TimeSpan CandleGraceOf(string feed) =>
        _candleGrace.TryGetValue(feed, out TimeSpan grace) && grace > Options.Candles.Grace ? grace : Options.Candles.Grace;

    public FeedLatency LatencyOf(string feed) => _latencies.GetOrAdd(feed, static (name, partitions) => new FeedLatency(name, partitions), _partitions.Length);

    /// <summary>Events waiting in all ingest queues.</summary>
    public int QueueDepth => _partitions.Sum(p => p.QueueDepth);

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        foreach (HubPartition partition in _partitions)
        {
            _loops.Add(Task.Run(partition.RunAsync));
        }

        _clock = Time.CreateTimer(_ => Beat(), null, Options.ClockInterval, Options.ClockInterval);
    }

    public bool TryPublish(in Tick tick)
    {
        if (PartitionOf(tick.Instrument).TryEnqueue(HubEvent.ForTick(in tick)))
        {
            return true;
        }

        Interlocked.Increment(ref _ingestFull);
        return false;
    }

    public ValueTask PublishAsync(Tick tick, CancellationToken cancellationToken = default) =>
        PartitionOf(tick.Instrument).EnqueueAsync(HubEvent.ForTick(in tick), cancellationToken);

    public ValueTask PublishAsync(BookUpdate book, CancellationToken cancellationToken = default) =>
        PartitionOf(book.Instrument).EnqueueAsync(HubEvent.ForBook(book), cancellationToken);

    public event Action<InstrumentId>? BookSnapshotNeeded;

    /// <summary>The attached firehoses (copy-on-write: partitions read the array without a lock).</summary>
    internal Firehose[] Firehoses => Volatile.Read(ref _firehoses);

    /// <summary>
    /// Attaches a consumer of every admitted tick and candle close, in order per instrument (the journal, stores and
    /// the bus use it). Dispose the returned firehose to detach it.
    /// </summary>
    public Firehose AttachFirehose(FirehoseOptions? options = null)
    {
        var firehose = new Firehose(options ?? new FirehoseOptions(), _partitions.Length, Detach);
        lock (_subscribersGate)
        {
            Volatile.Write(ref _firehoses, [.. _firehoses, firehose]);
        }

        return firehose;
    }

    private void Detach(Firehose firehose)
    {
        lock (_subscribersGate)
        {
            Volatile.Write(ref _firehoses, [.. _firehoses.Where(f => f != firehose)]);
        }
    }

    /// <summary>
    /// A copy of the book the hub keeps for <paramref name="instrument"/> (top <paramref name="depth"/> levels), read on
    /// its partition; null when the venue sent none or nobody subscribes to the instrument.
    /// </summary>
    public Task<BookView?> GetBookAsync(InstrumentId instrument, int depth) =>
        RunOnPartitionAsync(instrument, p => p.BookView(instrument, depth));

    /// <summary>
    /// Posts the current view of <paramref name="instrument"/>'s book to <paramref name="subscriber"/>, in order with the
    /// views that follow it (a new book watcher starts from the whole book). False when there is no book yet.
    /// </summary>
    public Task<bool> PostCurrentBookAsync(HubSubscriber subscriber, InstrumentId instrument) =>
        RunOnPartitionAsync(instrument, p => p.PostCurrentBook(subscriber, instrument));

    internal void RequestBookSnapshot(InstrumentId instrument) => BookSnapshotNeeded?.Invoke(instrument);

    public HubSubscriber CreateSubscriber(SubscriberOptions? options = null)
    {
        var subscriber = new HubSubscriber(options ?? new SubscriberOptions());
        lock (_subscribersGate)
        {
            _subscribers.Add(subscriber);
        }

        return subscriber;
    }

    /// <summary>
    /// Starts delivering <paramref name="instrument"/> to <paramref name="subscriber"/> (and builds its candle intervals);
    /// a book watcher is first sent the current book, when there is one.
    /// </summary>
    public void Watch(HubSubscriber subscriber, InstrumentId instrument)
    {
        // The instrument's default timeframes start (and load their history) now, not at its first tick: a closed market sends none.
        _ = RunOnPartitionAsync(instrument, p => p.GetOrCreateState(instrument) is not null);
        foreach (CandleInterval interval in subscriber.Options.CandleIntervals)
        {
            _ = EnsureCandlesAsync(instrument, interval);
        }

        subscriber.AddInterest(instrument);
        Index.Add(instrument, subscriber);
        if (subscriber.WantsBooks)
        {
            _ = PostCurrentBookAsync(subscriber, instrument);
        }
    }

    /// <summary>Stops delivery; when this returns, nothing of <paramref name="instrument"/> is pending or will arrive.</summary>
    public void Unwatch(HubSubscriber subscriber, InstrumentId instrument)
    {
        Index.Remove(instrument, subscriber);
        subscriber.RemoveInterest(instrument);
    }

    public void RemoveSubscriber(HubSubscriber subscriber, IEnumerable<InstrumentId> watched)
    {
        foreach (InstrumentId instrument in watched)
        {
            Unwatch(subscriber, instrument);
        }

        subscriber.Complete();
        lock (_subscribersGate)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>
    /// Closed candles (up to <paramref name="count"/>, oldest first) and the forming one; starts the series if new. While
    /// the series' history is still loading, waits for it (at most <see cref="CandleOptions.HistoryWait"/>) so a first
    /// request is not answered with an empty past.
    /// </summary>
    public Task<CandleSnapshot> GetCandlesAsync(InstrumentId instrument, CandleInterval interval, int count) =>
        GetCandlesAsync(instrument, interval, count, Options.Candles.HistoryWait);

    /// <summary>As <see cref="GetCandlesAsync(InstrumentId, CandleInterval, int)"/>, waiting at most <paramref name="wait"/> for a loading history.</summary>
    public async Task<CandleSnapshot> GetCandlesAsync(InstrumentId instrument, CandleInterval interval, int count, TimeSpan wait)
    {
        // Looked up on the partition with the snapshot: history seeds there too, so a load not yet in the snapshot is still listed.
        (CandleSnapshot snapshot, Task? loading) = await RunOnPartitionAsync(
            instrument, p => (p.Snapshot(instrument, interval, count), _bootstrap.LoadingOf(instrument, interval))).ConfigureAwait(false);
        if (count <= 0 || wait <= TimeSpan.Zero || loading is null)
        {
            return snapshot;
        }

        try
        {
            await loading.WaitAsync(wait, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Answer with what there is; the history still lands in the series when it comes.
        }

        return await RunOnPartitionAsync(instrument, p => p.Snapshot(instrument, interval, count)).ConfigureAwait(false);
    }

    public Task EnsureCandlesAsync(InstrumentId instrument, CandleInterval interval) =>
        RunOnPartitionAsync(instrument, p => p.GetOrAddSeries(instrument, interval) is not null);

    /// <summary>
    /// Where new series get their past from after the candle store (the host routes by feed): bars ending by the time
    /// given, at most the count given, oldest first. Without it (and without a store) series start empty.
    /// </summary>
    public void UseHistory(Func<Instrument, CandleInterval, DateTime, int, CancellationToken, Task<IReadOnlyList<Candle>>> source) =>
        _bootstrap.Source = source;

    /// <summary>Loads a new series' past: the store, then the venue for what it lacks (see <see cref="CandleBootstrap"/>).</summary>
    internal void RequestHistory(Instrument instrument, CandleInterval interval) => _bootstrap.Request(instrument, interval, _stopping.Token);

    /// <summary>How each series of <paramref name="instrument"/> was bootstrapped (empty when none was).</summary>
    public IReadOnlyList<SeriesLoadStatus> CandleLoads(InstrumentId instrument) => _bootstrap.StatusOf(instrument);

    /// <summary>
    /// Each series of <paramref name="instrument"/> that exists: its closed bars counted by origin (live, history, revised,
    /// backfilled; read on the instrument's partition) and how its bootstrap went. Creates nothing.
    /// </summary>
    public async Task<IReadOnlyList<CandleSeriesStatus>> CandleStatusAsync(InstrumentId instrument)
    {
        IReadOnlyList<(CandleInterval Interval, IReadOnlyDictionary<CandleOrigin, int> Origins)> origins =
            await RunOnPartitionAsync(instrument, p => p.Origins(instrument)).ConfigureAwait(false);
        IReadOnlyList<SeriesLoadStatus> loads = _bootstrap.StatusOf(instrument);
        return [.. origins.Select(o => new CandleSeriesStatus(o.Interval, o.Origins, loads.FirstOrDefault(l => l.Interval == o.Interval)))];
    }

    internal Task<int> SeedAsync(InstrumentId instrument, CandleInterval interval, IReadOnlyList<Candle> history) =>
        RunOnPartitionAsync(instrument, p => p.GetOrCreateState(instrument)?.Candles.Seed(interval, history, p) ?? 0);

    internal void CountHistoryFailure(string symbol, CandleInterval interval, Exception e)
    {
        Interlocked.Increment(ref _historyFailures);
        Log.HistoryFailed(symbol, interval.Label, e);
    }

    /// <summary>
    /// Applies closed bars the venue gave after the fact to one series, on the instrument's partition: a bar flagged
    /// <see cref="CandleFlags.Revised"/> replaces the bar with the same start, one flagged <see cref="CandleFlags.Backfilled"/>
    /// is inserted in start order where the series had none (either flag works both ways: what decides is whether a bar
    /// is held there). Bars off the series' grid, not yet ended, or reaching into the forming bar are skipped; a bar equal
    /// to the one held is no change. Coarser timeframes built from this interval are recomputed over each changed bar
    /// (see <see cref="InstrumentCandles.Revise"/>). Every change is written to the candle store (through
    /// <see cref="UseCandleWriter"/>), and goes to subscribers and firehoses as a <see cref="CandleRevision"/>, never as a
    /// new close. Returns how many bars of <paramref name="interval"/> changed.
    /// </summary>
    public async Task<int> ApplyCandleRevisionsAsync(Instrument instrument, CandleInterval interval, IReadOnlyList<Candle> bars, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(bars);
        ct.ThrowIfCancellationRequested();
        DateTime now = Time.GetUtcNow().UtcDateTime;
        Candle[] ended = [.. bars.Where(b => b.End <= now && b.End > b.Start).OrderBy(b => b.Start)];
        if (ended.Any(b => (b.Flags & (CandleFlags.Revised | CandleFlags.Backfilled)) == 0))
        {
            throw new ArgumentException("Each bar must be flagged Revised or Backfilled.", nameof(bars));
        }

        List<CandleChange> changes = ended.Length == 0 ? [] : await RunOnPartitionAsync(instrument.Id, p => p.Revise(instrument.Id, interval, ended)).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            return 0;
        }

        if (!_bootstrap.WriterReadsRevisions)
        {
            await _bootstrap.WriteAsync([.. changes.Select(c => new StoredCandle(instrument.Symbol, c.Series.Interval, c.New))], ct).ConfigureAwait(false);
        }

        return changes.Count(c => c.Series.Interval == interval);
    }

    /// <summary>
    /// The durable store series are bootstrapped from (read first, before the venue's history) and that history,
    /// backfilled and revised bars are written to. Without it nothing survives a restart.
    /// </summary>
    public void UseCandleStore(ICandleStore? store) => _bootstrap.Store = store;

    /// <summary>
    /// Routes writes of history, backfilled and revised bars through <paramref name="write"/> (the store's batching writer)
    /// instead of straight to the store given to <see cref="UseCandleStore"/>. With <paramref name="revisionsFromFirehose"/>
    /// the writer takes revised and backfilled bars from its own firehose instead (as <see cref="CandleStoreWriter"/>
    /// does): there they come after the closes they replace, whereas a revision handed over here could overtake a close
    /// of the same bar still waiting in that firehose, and the stale close would then be stored over it.
    /// </summary>
    public void UseCandleWriter(Func<IReadOnlyList<StoredCandle>, CancellationToken, ValueTask>? write, bool revisionsFromFirehose = false)
    {
        _bootstrap.Writer = write;
        _bootstrap.WriterReadsRevisions = write is not null && revisionsFromFirehose;
    }

    public ICandleStore? CandleStore => _bootstrap.Store;

    /// <summary>Writes of bars to the store that failed (logged; the bars stay in memory).</summary>
    public long StoreWriteFailures => _bootstrap.WriteFailures;

    /// <summary>History requests that failed (the series then starts from live data only).</summary>
    public long HistoryFailures => Interlocked.Read(ref _historyFailures);

    /// <summary>Completes when every event published before the call has been processed.</summary>
    public Task FlushAsync() =>
        Task.WhenAll(_partitions.Select(p => RunOnPartitionAsync(p, _ => true)));

    public QualitySnapshot Quality()
    {
        var total = new QualitySnapshot
        {
            IngestFull = Interlocked.Read(ref _ingestFull),
            HistoryFailures = HistoryFailures,
            HistoryBarsSkipped = _bootstrap.SkippedBars,
            HistoryBarsRebucketed = _bootstrap.RebucketedBars,
        };
        foreach (HubPartition partition in _partitions)
        {
            partition.Counters.AddTo(total);
            total.PipelineErrors += Interlocked.Read(ref partition.PipelineErrors);
        }

        lock (_subscribersGate)
        {
            foreach (HubSubscriber subscriber in _subscribers)
            {
                total.SubscriberConflated += subscriber.TicksConflated;
                total.SubscriberDropped += subscriber.TicksDropped;
                total.CallbackErrors += subscriber.CallbackErrors;
            }
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_clock is not null)
        {
            await _clock.DisposeAsync().ConfigureAwait(false);
        }

        foreach (HubPartition partition in _partitions)
        {
            partition.Complete();
        }

        await Task.WhenAll(_loops).ConfigureAwait(false);
        lock (_subscribersGate)
        {
            foreach (HubSubscriber subscriber in _subscribers)
            {
                subscriber.Complete();
            }
        }
    }

    internal HubPartition PartitionOf(InstrumentId instrument) => _partitions[(uint)instrument.Value % (uint)_partitions.Length];

    private Task<T> RunOnPartitionAsync<T>(InstrumentId instrument, Func<HubPartition, T> job) =>
        RunOnPartitionAsync(PartitionOf(instrument), job);

    private async Task<T> RunOnPartitionAsync<T>(HubPartition partition, Func<HubPartition, T> job)
    {
        var work = new PartitionWork<T>(job);
        try
        {
            await partition.EnqueueAsync(HubEvent.ForWork(work), CancellationToken.None).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            work.Cancel();
        }

        return await work.Completion.ConfigureAwait(false);
    }

    private void Beat()
    {
        // A full queue already has work in it; skipping a beat only delays candle closes by one interval.
        foreach (HubPartition partition in _partitions)
        {
            partition.TryEnqueue(HubEvent.Clock);
        }
    }
}
