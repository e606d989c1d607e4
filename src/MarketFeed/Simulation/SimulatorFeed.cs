using System.Collections.Concurrent;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Simulation;

/// <summary>
/// The built-in venue (<c>sim</c>): no credentials, runs 24/7 (or on session hours), deterministic with a seed.
/// It behaves like a venue: it follows the desired set, keeps its own "upstream" subscription set that is lost on
/// disconnect and replayed on reconnect, and can be told to ignore unsubscribes, to drop its connection or to lose a
/// book diff, so the hub's guarantees can be tested against it. Instruments with an order book get a snapshot when
/// they join the upstream set or the hub asks for one (<see cref="IFeedSink.BookSnapshotNeeded"/>), and a diff after
/// every tick otherwise.
/// </summary>
public sealed class SimulatorFeed : IFeed, IHistoricalCandleSource, IPreviousOpenInterestSource
{
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Lock _marketGate = new();
    private readonly Dictionary<InstrumentId, FeedMode> _upstream = [];

    // Desired-set changes are only queued by the manager's event (it fires under the manager's lock) and applied
    // under _gate by the feed itself; taking _gate inside the event would invert the lock order with Connect.
    private readonly ConcurrentQueue<DesiredChange> _pendingChanges = new();

    // Book instruments whose next step sends a snapshot instead of a diff, and whose next diff is lost (a fault).
    // Snapshot requests come on the hub's thread, so they are only queued there and applied under _gate.
    private readonly HashSet<InstrumentId> _snapshotDue = [];
    private readonly HashSet<InstrumentId> _diffsToLose = [];
    private readonly ConcurrentQueue<InstrumentId> _snapshotRequests = new();
    private InstrumentId[] _order = [];
    private bool[] _orderHasBook = [];
    private int _nextIndex;
    private bool _connected;
    private SimulatorMarket? _market;
    private FeedContext? _context;

    /// <summary>The simulator's feed name (<c>--feed sim</c>).</summary>
    public const string FeedName = "sim";

    public SimulatorFeed(SimulatorOptions options, TimeProvider time, string name = FeedName)
    {
        _options = options;
        _time = time;
        Name = name;
        Health = new FeedHealth(name, time) { Simulated = options.FollowSessionHours ? "session hours" : "24/7" };
    }

    public string Name { get; }

    public FeedHealth Health { get; }

    /// <summary>Every tick the simulator sent, before the hub saw it (for tests that compare sent and received).</summary>
    public event Action<Tick>? Sent;

    /// <summary>Every book message the simulator sent, before the hub saw it (for tests; valid during the call only: messages are pooled).</summary>
    public event Action<BookUpdate>? BookSent;

    /// <summary>Instruments the simulated venue is currently sending.</summary>
    public IReadOnlyCollection<InstrumentId> Upstream
    {
        get
        {
            lock (_gate)
            {
                ApplyPendingChanges();
                return [.. _upstream.Keys];
            }
        }
    }

    public Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        DateOnly today = _options.UniverseDate
            ?? DateOnly.FromDateTime(TimeZones.ToZone(_time.GetUtcNow().UtcDateTime, TimeZones.Kolkata).DateTime);
        var registered = new List<(SimulatedSpec, Instrument)>();
        foreach (SimulatedSpec spec in SimulatorUniverse.Build(Name, today, aroundTheClock: !_options.FollowSessionHours, _options.StrikesEachSide, _options.Seed, _options.Holidays))
        {
            registered.Add((spec, registry.Register(spec.Definition)));
        }

        _market = new SimulatorMarket(registered, _options.Seed, _options.Books);
        return Task.CompletedTask;
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        if (_market is null)
        {
            throw new InvalidOperationException("Load the simulator's instruments before running it.");
        }

        _context = context;
        context.Subscriptions.Changed += OnDesiredChanged;
        context.Sink.BookSnapshotNeeded += OnBookSnapshotNeeded;
        try
        {
            Connect();
            await EmitLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            context.Subscriptions.Changed -= OnDesiredChanged;
            context.Sink.BookSnapshotNeeded -= OnBookSnapshotNeeded;
            lock (_gate)
            {
                _connected = false;
                _upstream.Clear();
                Reorder();
            }

            Health.SetConnections(0);
            Health.SetState(FeedState.Stopped);
        }
    }

    /// <summary>
    /// Emits <paramref name="count"/> ticks round-robin over the upstream set (each followed by its book message where
    /// the instrument has a book), waiting on the hub if it is full. Returns the ticks emitted.
    /// </summary>
    public async ValueTask<int> EmitAsync(int count, CancellationToken cancellationToken = default)
    {
        FeedContext context = _context ?? throw new InvalidOperationException("The simulator is not running.");
        SimulatorMarket market = _market!;
        int emitted = 0;
        int books = 0;
        for (int i = 0; i < count; i++)
        {
            if (!TryNextInstrument(out InstrumentId id, out FeedMode mode, out bool hasBook))
            {
                break;
            }

            DateTime now = _time.GetUtcNow().UtcDateTime;
            if (_options.FollowSessionHours && !market.IsInSession(id, now))
            {
                continue;
            }

            Tick tick;
            lock (_marketGate)
            {
                tick = market.Next(id, now, mode);
            }

            Sent?.Invoke(tick);

            // Completes synchronously while the queue has room; waits (never drops) when the hub is behind.
            await context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);

            emitted++;
            if (hasBook && await PublishBookAsync(context.Sink, market.BookOf(id)!, id, now, cancellationToken).ConfigureAwait(false))
            {
                books++;
            }
        }

        Health.CountMessages(emitted + books);
        return emitted;
    }

    /// <summary>Fault for tests: the next diff of <paramref name="instrument"/>'s book is lost on the way (its update ids are skipped).</summary>
    public void LoseNextBookDiff(InstrumentId instrument)
    {
        lock (_gate)
        {
            _diffsToLose.Add(instrument);
        }
    }

    /// <summary>Simulates the venue dropping the connection: nothing is sent and the upstream set is forgotten.</summary>
    public void Disconnect(string reason = "simulated disconnect")
    {
        lock (_gate)
        {
            _connected = false;
            _upstream.Clear();
            Reorder();
        }

        Health.SetConnections(0);
        Health.SetState(FeedState.Reconnecting, reason);
    }

    /// <summary>Reconnects and resubscribes the whole desired set with its modes, as every venue adapter does.</summary>
    public void Connect()
    {
        FeedContext context = _context ?? throw new InvalidOperationException("The simulator is not running.");
        bool reconnect;
        lock (_gate)
        {
            reconnect = Health.State == FeedState.Reconnecting;
            _pendingChanges.Clear();
            _connected = true;
            _upstream.Clear();
            foreach (DesiredSubscription desired in context.Subscriptions.Desired(IsMine))
            {
                _upstream[desired.Instrument] = desired.Mode;
                MarkSnapshotDue(desired.Instrument);
            }

            Reorder();
        }

        if (reconnect)
        {
            Health.CountReconnect();
        }

        Health.SetConnections(1);
        Health.SetState(FeedState.Connected);
    }

    public Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        int instruments = _market?.Instruments.Count() ?? 0;
        IReadOnlyList<DoctorCheck> checks =
        [
            DoctorCheck.Pass("credentials", "the simulator needs none"),
            instruments > 0
                ? DoctorCheck.Pass("instruments", $"{instruments} simulated instruments loaded")
                : DoctorCheck.Fail("instruments", "no simulated instruments loaded"),
            DoctorCheck.Pass("connectivity", "in-process, always reachable"),
        ];
        return Task.FromResult(checks);
    }

    public Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken)
    {
        SimulatedInstrument? simulated = _market?.Find(instrument.Id);
        if (simulated is null)
        {
            return Task.FromResult<IReadOnlyList<Candle>>([]);
        }

        // History moves the live path through the minutes it reports, so it shares the emission loop's lock.
        lock (_marketGate)
        {
            return Task.FromResult(SimulatorHistory.Build(simulated, interval, endUtc, count, _options.Seed));
        }
    }

    public IAsyncEnumerable<PreviousOpenInterest> GetPreviousOpenInterestAsync(IReadOnlyList<Instrument> instruments, CancellationToken cancellationToken)
    {
        var known = new List<PreviousOpenInterest>(instruments.Count);
        if (_market is { } market)
        {
            lock (_marketGate)
            {
                DateTime now = _time.GetUtcNow().UtcDateTime;
                foreach (Instrument instrument in instruments)
                {
                    if (market.PreviousDayOpenInterest(instrument.Id, now) is { HasValue: true } oi)
                    {
                        known.Add(new PreviousOpenInterest(instrument.Id, oi));
                    }
                }
            }
        }

        return known.ToAsyncEnumerable();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task EmitLoopAsync(CancellationToken cancellationToken)
    {
        long last = _time.GetTimestamp();
        double budget = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.StepInterval, _time, cancellationToken).ConfigureAwait(false);
            long now = _time.GetTimestamp();
            double elapsed = _time.GetElapsedTime(last, now).TotalSeconds;
            last = now;
            double rate = CurrentRate();
            if (rate <= 0)
            {
                budget = 0;
                continue;
            }

            // Never burst more than one second's worth after a stall.
            budget = Math.Min(budget + (rate * elapsed), Math.Max(rate, 1));
            int due = (int)budget;
            if (due > 0)
            {
                budget -= due;
                await EmitAsync(due, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private double CurrentRate()
    {
        if (_options.TicksPerSecond > 0)
        {
            return _options.TicksPerSecond;
        }

        lock (_gate)
        {
            ApplyPendingChanges();
            return _options.TicksPerInstrumentPerSecond * _order.Length;
        }
    }

    private bool TryNextInstrument(out InstrumentId id, out FeedMode mode, out bool hasBook)
    {
        lock (_gate)
        {
            ApplyPendingChanges();
            if (!_connected || _order.Length == 0)
            {
                id = default;
                mode = default;
                hasBook = false;
                return false;
            }

            _nextIndex %= _order.Length;
            hasBook = _orderHasBook[_nextIndex];
            id = _order[_nextIndex++];
            mode = _upstream[id];
            return true;
        }
    }

    /// <summary>Sends the book message of the step just ticked: a snapshot when one is owed, else the diff (unless a fault loses it).</summary>
    private async ValueTask<bool> PublishBookAsync(IFeedSink sink, SimulatedBook book, InstrumentId id, DateTime now, CancellationToken cancellationToken)
    {
        bool snapshot;
        lock (_gate)
        {
            while (_snapshotRequests.TryDequeue(out InstrumentId requested))
            {
                if (_upstream.ContainsKey(requested))
                {
                    _snapshotDue.Add(requested);
                }
            }

            snapshot = _snapshotDue.Remove(id);
            if (!snapshot && _diffsToLose.Remove(id))
            {
                return false;
            }
        }

        BookUpdate update = BookUpdate.Rent();
        if (snapshot)
        {
            book.WriteSnapshot(update, id, now);
        }
        else
        {
            book.WriteDiff(update, id, now);
        }

        BookSent?.Invoke(update);
        await sink.PublishAsync(update, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void MarkSnapshotDue(InstrumentId id)
    {
        if (_market?.BookOf(id) is not null)
        {
            _snapshotDue.Add(id);
        }
    }

    /// <summary>Raised on the hub's thread: only queued (applied with the instrument's next step).</summary>
    private void OnBookSnapshotNeeded(InstrumentId id)
    {
        if (_market?.BookOf(id) is not null)
        {
            _snapshotRequests.Enqueue(id);
        }
    }

    private bool IsMine(InstrumentId id) => _market?.Knows(id) == true;

    private void OnDesiredChanged(DesiredChange change)
    {
        if (IsMine(change.Instrument))
        {
            _pendingChanges.Enqueue(change);
        }
    }

    /// <summary>
    /// Applies queued changes in order. Replaying changes already reflected in a reconnect snapshot is harmless:
    /// each sets the instrument's state, so the last change per instrument wins and that is the current state.
    /// </summary>
    private void ApplyPendingChanges()
    {
        System.Diagnostics.Debug.Assert(_gate.IsHeldByCurrentThread);
        if (_pendingChanges.IsEmpty)
        {
            return;
        }

        while (_pendingChanges.TryDequeue(out DesiredChange change))
        {
            if (!_connected)
            {
                continue;
            }

            if (change.After is { } mode)
            {
                if (!_upstream.ContainsKey(change.Instrument))
                {
                    MarkSnapshotDue(change.Instrument);
                }

                _upstream[change.Instrument] = mode;
            }
            else if (!_options.IgnoreUnsubscribes)
            {
                _upstream.Remove(change.Instrument);
            }
        }

        Reorder();
    }

    private void Reorder()
    {
        _order = [.. _upstream.Keys.OrderBy(id => id.Value)];
        _orderHasBook = [.. _order.Select(id => _market?.BookOf(id) is not null)];
    }
}
