using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Chains;

/// <summary>
/// A chain kept live: subscribes the underlying, the future of its expiry and the options of a window of ± N strikes
/// around the money (through the hub's normal subscribe path, in the mode asked), and recomputes on a consumer task of
/// its own fed from a conflating hub mailbox, so ingest never waits for it: an option's tick reprices its strike, a
/// tick of the underlying or future the whole window. The window follows the underlying. Dispose to unsubscribe.
/// </summary>
public sealed partial class LiveChain : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly MarketFeedHost _host;
    private readonly ChainOptions _options;
    private readonly ILogger _logger;
    private readonly ChainCalculator _calculator;
    private readonly MarketSubscription _subscription;
    private readonly List<ChainReader> _readers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool[] _marked;
    private readonly int[] _dirty;
    private readonly Task _pump;
    private readonly PreviousOiLoader? _previousOi;
    private readonly Task _previousOiRun = Task.CompletedTask;
    private long _windowSeq;
    private int _centre;

    internal LiveChain(MarketFeedHost host, ChainDefinition definition, int strikesEachSide, FeedMode mode, ChainOptions options, ILogger logger)
    {
        _host = host;
        _options = options;
        _logger = logger;
        Definition = definition;
        StrikesEachSide = strikesEachSide;
        Mode = mode;
        _calculator = new ChainCalculator(definition, options);
        _marked = new bool[definition.Strikes.Count];
        _dirty = new int[definition.Strikes.Count];
        _subscription = host.Subscribe([], new SubscriberOptions { Mode = mode, TickPolicy = TickQueuePolicy.ConflateLatest });
        lock (_gate)
        {
            foreach (Instrument? instrument in new[] { definition.Underlying, definition.Future })
            {
                if (instrument is not null)
                {
                    _subscription.Add(instrument);
                    Seed(instrument.Id);
                }
            }

            _calculator.BeginRecompute(host.Time.GetUtcNow().UtcDateTime);
            double forward = _calculator.Stats.Forward;
            _centre = double.IsNaN(forward) ? definition.Strikes.Count / 2 : definition.NearestStrike(forward);
            MoveWindow(_centre, initial: true);
            _calculator.BeginRecompute(host.Time.GetUtcNow().UtcDateTime);
            _calculator.RecomputeWindow();
        }

        ChainLog.Opened(logger, definition.Root, Expiry(definition), definition.Strikes.Count, strikesEachSide,
            definition.Future is null ? "spot (Black–Scholes)" : "the future (Black-76)");
        _pump = Task.Run(() => PumpAsync(_stopping.Token), CancellationToken.None);
        if (host.Feeds.FirstOrDefault(f => string.Equals(f.Name, definition.Feed, StringComparison.OrdinalIgnoreCase)) is IPreviousOpenInterestSource source)
        {
            _previousOi = new PreviousOiLoader(this, source, host.Time, logger);
            _previousOiRun = Task.Run(() => _previousOi.RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public ChainDefinition Definition { get; }

    public int StrikesEachSide { get; }

    public FeedMode Mode { get; }

    public long Seq
    {
        get
        {
            lock (_gate)
            {
                return _calculator.Seq;
            }
        }
    }

    /// <summary>The whole window now.</summary>
    public ChainView Snapshot()
    {
        lock (_gate)
        {
            return View(snapshot: true, sinceSeq: -1);
        }
    }

    /// <summary>
    /// A reader of this chain's views: a snapshot, then updates. <paramref name="changed"/>, when given, is called (on
    /// the chain's consumer, so it must be quick) whenever there is something new to read. Dispose it when done.
    /// </summary>
    public ChainReader OpenReader(Action? changed = null)
    {
        var reader = new ChainReader(this, changed);
        lock (_gate)
        {
            _readers.Add(reader);
        }

        return reader;
    }

    /// <summary>
    /// Waits until the chain is priced (the underlying or future has a price) and every listed option of its window has
    /// data, or the time passes: a first answer computed over a few options would give a wrong put-call ratio and max
    /// pain. True when it is all there.
    /// </summary>
    public async Task<bool> WaitForDataAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using ChainReader reader = OpenReader();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout);
        try
        {
            while (!HasAllData())
            {
                if (await reader.ReadAsync(cancel.Token).ConfigureAwait(false) is null)
                {
                    return false;
                }
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HasAllData();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _subscription.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
            await _previousOiRun.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        ChainReader[] readers;
        lock (_gate)
        {
            readers = [.. _readers];
            _readers.Clear();
        }

        foreach (ChainReader reader in readers)
        {
            reader.Close();
        }

        _stopping.Dispose();
    }

    internal ChainView? Read(ChainReader reader)
    {
        lock (_gate)
        {
            if (reader.LastWindowSeq != _windowSeq)
            {
                reader.LastWindowSeq = _windowSeq;
                reader.LastSeq = _calculator.Seq;
                return View(snapshot: true, sinceSeq: -1);
            }

            if (_calculator.Seq == reader.LastSeq)
            {
                return null;
            }

            ChainView view = View(snapshot: false, sinceSeq: reader.LastSeq);
            reader.LastSeq = _calculator.Seq;
            return view;
        }
    }

    internal void RemoveReader(ChainReader reader)
    {
        lock (_gate)
        {
            _readers.Remove(reader);
        }
    }

    private bool HasAllData()
    {
        lock (_gate)
        {
            if (double.IsNaN(_calculator.Stats.Forward))
            {
                return false;
            }

            ReadOnlySpan<ChainRow> rows = _calculator.Rows;
            for (int i = _calculator.Stats.WindowFirst; i <= _calculator.Stats.WindowLast; i++)
            {
                ChainStrike listed = Definition.Strikes[i];
                if ((listed.Call is not null && !rows[i].Call.HasData) || (listed.Put is not null && !rows[i].Put.HasData))
                {
                    return false;
                }
            }

            return _calculator.Stats.WindowLast >= _calculator.Stats.WindowFirst;
        }
    }

    private ChainView View(bool snapshot, long sinceSeq)
    {
        ref readonly ChainStats stats = ref _calculator.Stats;
        ReadOnlySpan<ChainRow> window = _calculator.Rows[stats.WindowFirst..(stats.WindowLast + 1)];
        var rows = new List<ChainRow>(window.Length);
        foreach (ref readonly ChainRow row in window)
        {
            if (snapshot || row.Seq > sinceSeq)
            {
                rows.Add(row);
            }
        }

        return new ChainView
        {
            Definition = Definition, Seq = _calculator.Seq, IsSnapshot = snapshot, Stats = stats, Rows = [.. rows],
            StrikesEachSide = StrikesEachSide, ComputedUtc = _host.Time.GetUtcNow().UtcDateTime,
        };
    }

    private async Task PumpAsync(CancellationToken token)
    {
        HubSubscriber mailbox = _subscription.Subscriber;
        try
        {
            while (await mailbox.WaitToReadTicksAsync(token).ConfigureAwait(false))
            {
                bool changed;
                lock (_gate)
                {
                    changed = Drain(mailbox);
                }

                if (changed)
                {
                    Notify();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ChainLog.Failed(_logger, Definition.Root, Expiry(Definition), e);
        }
    }

    /// <summary>Applies what is pending, recomputes what it changed and follows the money. Under the lock.</summary>
    private bool Drain(HubSubscriber mailbox)
    {
        bool all = false;
        int dirty = 0;
        while (mailbox.TryReadTick(out Tick tick))
        {
            // A flagged tick (an outlier, or older than what the instrument already has) is kept out of the quote book,
            // and in this conflating mailbox it may have replaced the clean tick before it: the chain takes the quote
            // book's latest instead, never the flagged values (an out-of-order tick would put older prices back).
            if ((tick.Flags & (TickFlags.Outlier | TickFlags.OutOfOrder)) != 0 && !_host.Hub.Quotes.TryGetLatest(tick.Instrument, out tick))
            {
                continue;
            }

            int index = _calculator.Apply(in tick);
            if (index == ChainCalculator.AllStrikes)
            {
                all = true;
            }
            else if (index >= 0 && !_marked[index])
            {
                _marked[index] = true;
                _dirty[dirty++] = index;
            }
        }

        if (!all && dirty == 0)
        {
            return false;
        }

        _calculator.BeginRecompute(_host.Time.GetUtcNow().UtcDateTime);
        if (all)
        {
            _calculator.RecomputeWindow();
        }
        else
        {
            for (int i = 0; i < dirty; i++)
            {
                _calculator.RecomputeStrike(_dirty[i]);
            }

            _calculator.RecomputeChain();
        }

        for (int i = 0; i < dirty; i++)
        {
            _marked[_dirty[i]] = false;
        }

        double forward = _calculator.Stats.Forward;
        if (all && !double.IsNaN(forward))
        {
            int atm = Definition.NearestStrike(forward);
            if (Math.Abs(atm - _centre) >= _options.RecentreThreshold(StrikesEachSide))
            {
                MoveWindow(atm, initial: false);
                _calculator.RecomputeWindow();
            }
        }

        return true;
    }

    /// <summary>Starts from the hub's latest state of an instrument others already watch (its next tick may be a while).</summary>
    private void Seed(InstrumentId instrument)
    {
        if (_host.Hub.Quotes.TryGetLatest(instrument, out Tick latest))
        {
            _calculator.Apply(in latest);
        }
    }

    private void Notify()
    {
        ChainReader[] readers;
        lock (_gate)
        {
            readers = [.. _readers];
        }

        foreach (ChainReader reader in readers)
        {
            reader.Signal();
        }
    }
}
