using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Chains;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Taps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Hosting;

/// <summary>
/// MarketFeed in your process: a feed, the hub and health, ready in one call.
/// <code>
/// await using var host = await MarketFeedHost.StartAsync();
/// await using var sub = host.Subscribe("NSE:RELIANCE");
/// await foreach (var tick in sub.Ticks(ct)) { ... }
/// </code>
/// </summary>
public sealed class MarketFeedHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _feedRuns = [];
    private readonly ILoggerFactory _loggerFactory;
    private IRawFrameTap? _rawFrames;
    private IReadOnlyCollection<string> _pollingFeeds = [];
    private int _feedsStarted;
    private Func<JournalRecorderStatus>? _journal;
    private CandleStoreWriter? _storeWriter;
    private Func<BusStatus>? _bus;

    private MarketFeedHost(IReadOnlyList<IFeed> feeds, HubOptions hubOptions, TimeProvider time, ILoggerFactory loggerFactory, ChainOptions chainOptions)
    {
        _loggerFactory = loggerFactory;
        Chains = new ChainService(this, chainOptions, loggerFactory);
        Feeds = feeds;
        Time = time;
        Hub = new MarketHub(Instruments, Subscriptions, hubOptions, time, loggerFactory.CreateLogger<MarketHub>());
        Health = new HealthMonitor(Hub, feeds);
        foreach (IFeed feed in feeds)
        {
            if (feed is IRelayedFeed relayed)
            {
                Hub.UseCandleGrace(feed.Name, relayed.RelayGrace);
            }
        }

        Dictionary<string, IHistoricalCandleSource> history = feeds
            .Where(f => f is IHistoricalCandleSource)
            .ToDictionary(f => f.Name, f => (IHistoricalCandleSource)f);
        if (history.Count > 0)
        {
            Hub.UseHistory((instrument, interval, end, count, token) =>
                history.TryGetValue(instrument.Feed, out IHistoricalCandleSource? source)
                    ? source.GetHistoryAsync(instrument, interval, end, count, token)
                    : Task.FromResult<IReadOnlyList<Candle>>([]));
        }
    }

    public InstrumentRegistry Instruments { get; } = new();

    public SubscriptionManager Subscriptions { get; } = new();

    public MarketHub Hub { get; }

    public HealthMonitor Health { get; }

    public IReadOnlyList<IFeed> Feeds { get; }

    public TimeProvider Time { get; }

    /// <summary>Option chains: listed underlyings and expiries, live chains with implied volatility and Greeks.</summary>
    public ChainService Chains { get; }

    /// <summary>Where closed candles are kept (read stored bars with <see cref="ICandleStore.ReadAsync"/>); null when none is used.</summary>
    public ICandleStore? CandleStore => _storeWriter?.Store;

    /// <summary>Writes closed candles to <see cref="CandleStore"/>; revised and backfilled bars go through its <see cref="CandleStoreWriter.Enqueue"/>. Null when no store is used.</summary>
    public CandleStoreWriter? CandleWriter => _storeWriter;

    /// <summary>Creates the configured feeds, loads their instruments, and starts the hub and the feeds.</summary>
    public static async Task<MarketFeedHost> StartAsync(MarketFeedOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MarketFeedOptions();
        IReadOnlyList<string> names = FeedModes.Names(options.Feed);
        IReadOnlyCollection<string> polling = FeedModes.Polling(options.Configuration, names, options.PollingFeeds);
        var feeds = new List<IFeed>(names.Count);
        try
        {
            foreach (string name in names)
            {
                feeds.Add(options.Catalog.Get(name).Create(options.Configuration, options.Time));
            }
        }
        catch
        {
            foreach (IFeed created in feeds)
            {
                await created.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        MarketFeedHost host = await CreateAsync(feeds, options.Hub, options.Time, options.LoggerFactory, cancellationToken, options.RawFrames, options.Chains, polling).ConfigureAwait(false);
        try
        {
            if (options.History?.CreateStore() is { } store)
            {
                host.UseCandleStore(store, options.History);
            }
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        host.StartFeeds();
        return host;
    }

    /// <summary>
    /// Starts a host around feeds you created yourself (a configured simulator, a test venue), side by side; those named
    /// in <paramref name="pollingFeeds"/> poll over REST only.
    /// </summary>
    public static async Task<MarketFeedHost> StartAsync(
        IReadOnlyList<IFeed> feeds, HubOptions? hubOptions = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default, IRawFrameTap? rawFrames = null, ChainOptions? chains = null, IReadOnlyCollection<string>? pollingFeeds = null)
    {
        MarketFeedHost host = await CreateAsync(feeds, hubOptions, time, loggerFactory, cancellationToken, rawFrames, chains, pollingFeeds).ConfigureAwait(false);
        host.StartFeeds();
        return host;
    }

    /// <summary>
    /// Like <see cref="StartAsync(IReadOnlyList{IFeed}, HubOptions?, TimeProvider?, ILoggerFactory?, CancellationToken, IRawFrameTap?, ChainOptions?, IReadOnlyCollection{string}?)"/>
    /// (instruments loaded, hub running) but without starting the feeds: subscribe first, then <see cref="StartFeeds"/>,
    /// and each feed's first connection opens with those subscriptions — no connection without them first (which a
    /// feed probes while it has nothing to subscribe). Recordings and replays start this way so they begin alike.
    /// </summary>
    public static async Task<MarketFeedHost> CreateAsync(
        IReadOnlyList<IFeed> feeds, HubOptions? hubOptions = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default, IRawFrameTap? rawFrames = null, ChainOptions? chains = null, IReadOnlyCollection<string>? pollingFeeds = null)
    {
        var host = new MarketFeedHost(feeds, hubOptions ?? new HubOptions(), time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance, chains ?? new ChainOptions());
        host._rawFrames = rawFrames;
        host._pollingFeeds = pollingFeeds ?? [];
        try
        {
            FeedModes.Validate(feeds, pollingFeeds ?? []);
            foreach (IFeed feed in feeds)
            {
                if (rawFrames is not null && feed is IRecordableFeed recordable)
                {
                    recordable.AttachRawTap(rawFrames);
                }

                int before = host.Instruments.Count;
                await feed.LoadInstrumentsAsync(host.Instruments, cancellationToken).ConfigureAwait(false);
                if (feeds.Count > 1 && host.Instruments.All().Skip(before).Count(i => host.Instruments.TryGetBySymbol(i.Symbol, out Instrument? owner) && owner.Feed != i.Feed) is > 0 and int hidden)
                {
                    FeedStateLog.SymbolsTaken(host._loggerFactory.CreateLogger<MarketFeedHost>(), feed.Name, hidden);
                }
            }

            host.Hub.Start();
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the feeds of a host made by <see cref="CreateAsync"/> (once; later calls do nothing).</summary>
    public void StartFeeds()
    {
        if (Interlocked.Exchange(ref _feedsStarted, 1) == 1)
        {
            return;
        }

        foreach (IFeed feed in Feeds)
        {
            ILogger feedLogger = _loggerFactory.CreateLogger("MarketFeed.Feeds." + feed.Name);

            // Every state change of every feed reaches the log once (FeedHealth raises it only on a change).
            feed.Health.StateChanged += change => FeedStateLog.Changed(feedLogger, change);
            var context = new FeedContext(Hub, Subscriptions, Instruments, Time, feedLogger)
            {
                RawFrames = _rawFrames,
                ForcePolling = _pollingFeeds.Contains(feed.Name, StringComparer.OrdinalIgnoreCase),
            };
            _feedRuns.Add(Task.Run(() => feed.RunAsync(context, _stopping.Token), CancellationToken.None));
        }
    }

    /// <summary>Resolves a symbol, or throws <see cref="UnknownSymbolException"/> naming close matches.</summary>
    public Instrument Resolve(string symbol) => Instruments.Resolve(symbol);

    public MarketSubscription Subscribe(params string[] symbols) => Subscribe(symbols, null);

    /// <summary>
    /// Subscribes to <paramref name="symbols"/> (all resolved first: an unknown symbol subscribes nothing).
    /// Dispose the subscription to release its leases.
    /// </summary>
    public MarketSubscription Subscribe(IEnumerable<string> symbols, SubscriberOptions? options)
    {
        Instrument[] instruments = symbols.Select(Resolve).ToArray();
        var subscription = new MarketSubscription(this, Hub.CreateSubscriber(options), _loggerFactory.CreateLogger<MarketSubscription>());
        foreach (Instrument instrument in instruments)
        {
            subscription.Add(instrument);
        }

        return subscription;
    }

    public bool TryGetLatest(string symbol, out Tick tick) => Hub.Quotes.TryGetLatest(Resolve(symbol).Id, out tick);

    public Task<CandleSnapshot> GetCandlesAsync(string symbol, string interval, int count = 100) =>
        Hub.GetCandlesAsync(Resolve(symbol).Id, CandleInterval.Parse(interval), count);

    /// <summary>
    /// The order book of <paramref name="symbol"/>, top <paramref name="depth"/> levels a side (1 to
    /// <c>Hub:Books:LevelsKept</c>); null when its venue sends none or nobody subscribes to it. Check
    /// <see cref="BookView.State"/>: a resyncing book shows its last levels but is waiting for a snapshot.
    /// </summary>
    public Task<BookView?> GetBookAsync(string symbol, int depth = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, Hub.Options.Books.LevelsKept);
        return Hub.GetBookAsync(Resolve(symbol).Id, depth);
    }

    /// <summary>
    /// Writes every candle the hub closes into <paramref name="store"/> from now on (call before <see cref="StartFeeds"/>
    /// to miss none), off the hub's threads. The host owns the store: it is closed with the host. A store that cannot
    /// be opened or written is reported in <see cref="Status"/> (<c>store</c>) and tried again; live data is not affected.
    /// </summary>
    public CandleStoreWriter UseCandleStore(ICandleStore store, CandleStoreOptions? options = null)
    {
        if (_storeWriter is not null)
        {
            throw new InvalidOperationException("This host already writes candles to " + _storeWriter.Store.Description);
        }

        _storeWriter = CandleStoreWriter.Start(store, Hub, Instruments, options, Time, _loggerFactory.CreateLogger("MarketFeed.History"));

        // New series are bootstrapped from the store; their venue history goes through the writer, and revised or backfilled
        // bars reach it on its firehose, in order with the closes they replace.
        CandleStoreWriter writer = _storeWriter;
        Hub.UseCandleStore(store);
        Hub.UseCandleWriter((rows, _) =>
        {
            foreach (StoredCandle row in rows)
            {
                writer.Enqueue(row);
            }

            return ValueTask.CompletedTask;
        }, revisionsFromFirehose: true);
        return _storeWriter;
    }

    /// <summary>The candle store's state, or null when no store is used.</summary>
    public CandleStoreStatus? StoreStatus() => _storeWriter?.Status;

    /// <summary>Makes <see cref="Status"/> (and the gateway's metrics) report a recording of this host's data (<c>run --record</c>).</summary>
    public void ReportJournal(Func<JournalRecorderStatus> status) => _journal = status;

    /// <summary>The recording's state, or null when nothing is recorded.</summary>
    public JournalRecorderStatus? JournalStatus() => _journal?.Invoke();

    /// <summary>Makes <see cref="Status"/> (and the gateway's metrics) report the message bus this host publishes to.</summary>
    public void ReportBus(Func<BusStatus> status) => _bus = status;

    /// <summary>The bus this host publishes to or consumes from, or null when none.</summary>
    public BusStatus? BusStatus() => _bus?.Invoke() ?? Feeds.OfType<IBusStatusSource>().FirstOrDefault()?.BusStatus();

    /// <summary>Reconciliation with the venues' candles and outage backfill (<see cref="StartReconciliation"/>); null until started.</summary>
    public Reconciler? Reconciliation { get; private set; }

    /// <summary>Compares closed live bars with the venues' candles and backfills outages (docs/history.md); once, later calls return the first.</summary>
    public Reconciler StartReconciliation(ReconciliationOptions? options = null) =>
        Reconciliation ??= Reconciler.Start(Hub, Feeds, Hub.ApplyCandleRevisionsAsync, options, Time, _loggerFactory);

    public MarketStatus Status() => Health.Report() with { Journal = JournalStatus(), Store = StoreStatus(), Bus = BusStatus(), Reconciliation = Reconciliation?.Status() };

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await Chains.DisposeAsync().ConfigureAwait(false);
        if (Reconciliation is not null)
        {
            await Reconciliation.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_feedRuns).ConfigureAwait(false);
        foreach (IFeed feed in Feeds)
        {
            await feed.DisposeAsync().ConfigureAwait(false);
        }

        await Hub.DisposeAsync().ConfigureAwait(false);
        if (_storeWriter is not null)
        {
            await _storeWriter.DisposeAsync().ConfigureAwait(false);
            await _storeWriter.Store.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
