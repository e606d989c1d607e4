using System.Collections.Concurrent;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Taps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.History;

/// <summary>
/// Compares every live bar that closes with the venue's candle for it: first <see cref="ReconciliationOptions.FirstCheckAfter"/>
/// after the close, again once the venue's official candle is out (<see cref="ReconciliationOptions.OfficialAfterFor"/>).
/// Checks due together are batched into one history request per series, through the feed's own rate gate, with at
/// most <see cref="ReconciliationOptions.MaxConcurrentRequests"/> in flight. A differing bar is replaced by the venue's,
/// flagged <see cref="CandleFlags.Revised"/>. Closes are read from a firehose; owns a <see cref="Backfiller"/> for outages.
/// </summary>
public sealed class Reconciler : IAsyncDisposable
{
    private readonly MarketHub _hub;
    private readonly ReconciliationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<(InstrumentId, CandleInterval), List<DueBar>> _due = [];
    private readonly ConcurrentDictionary<(InstrumentId, CandleInterval), Instrument> _series = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Firehose _closes;
    private readonly ITimer _sweepTimer;
    private readonly Task _reading;
    private readonly Task _sweeping;
    private int _pending;

    private Reconciler(MarketHub hub, IEnumerable<IFeed> feeds, CandleRevisionSink apply, ReconciliationOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        options.Validate();
        _hub = hub;
        _options = options;
        _time = time;
        _log = loggerFactory.CreateLogger<Reconciler>();
        IFeed[] all = [.. feeds];
        Dictionary<string, IHistoricalCandleSource> sources = all.OfType<IHistoricalCandleSource>()
            .ToDictionary(s => ((IFeed)s).Name, s => s, StringComparer.Ordinal);
        Check = new OfficialCandleCheck(hub, sources, apply, options.MaxConcurrentRequests, options.MaxBackfillBars, _log);
        Backfill = new Backfiller(this, all, options, time, _log);
        _closes = hub.AttachFirehose(new FirehoseOptions { Capacity = 4_096, CandlesOnly = true });
        _reading = Task.Run(() => ReadClosesAsync(_stopping.Token));
        _sweeping = Task.Run(() => SweepAsync(_stopping.Token));
        _sweepTimer = time.CreateTimer(_ => Wake(), null, options.SweepInterval, options.SweepInterval);
    }

    public ReconciliationOptions Options => _options;

    /// <summary>Fetches missed bars after each outage of a feed.</summary>
    public Backfiller Backfill { get; }

    internal OfficialCandleCheck Check { get; }

    internal TimeProvider Time => _time;

    /// <summary>
    /// Starts reconciling the closed bars of <paramref name="hub"/> whose feed (in <paramref name="feeds"/>) has history,
    /// applying venue bars through <paramref name="apply"/>.
    /// </summary>
    public static Reconciler Start(MarketHub hub, IEnumerable<IFeed> feeds, CandleRevisionSink apply, ReconciliationOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null) =>
        new(hub, feeds, apply, options ?? new ReconciliationOptions(), time ?? hub.Time, loggerFactory ?? NullLoggerFactory.Instance);

    public ReconciliationStatus Status() =>
        new(Check.Checked, Check.Revised, Check.Backfilled, Check.Failed, Check.Unmatched, Check.Requests, Backfill.Outages, Volatile.Read(ref _pending));

    /// <summary>The live series of <paramref name="feed"/> that have closed a bar since start.</summary>
    internal IReadOnlyList<(Instrument Instrument, CandleInterval Interval)> SeriesOf(string feed) =>
        [.. _series.Where(s => s.Value.Feed == feed).Select(s => (s.Value, s.Key.Item2))];

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        await _closes.DisposeAsync().ConfigureAwait(false);
        await Backfill.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_reading, _sweeping).ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal void OnClose(in CandleEvent close)
    {
        Candle bar = close.Candle;
        if ((bar.Flags & (CandleFlags.History | CandleFlags.Revised | CandleFlags.Backfilled)) != 0
            || !_hub.Registry.TryGet(close.Instrument, out Instrument? instrument) || !Check.Covers(instrument))
        {
            return;
        }

        (InstrumentId, CandleInterval) key = (close.Instrument, close.Interval);
        _series.TryAdd(key, instrument);
        TimeSpan official = _options.OfficialAfterFor(instrument.Feed, close.Interval == CandleInterval.OneDay);
        lock (_gate)
        {
            if (!_due.TryGetValue(key, out List<DueBar>? bars))
            {
                _due[key] = bars = [];
            }

            bars.Add(new DueBar(bar.Start, bar.End, bar.End + _options.FirstCheckAfter));
            _pending++;
            if (official > _options.FirstCheckAfter)
            {
                bars.Add(new DueBar(bar.Start, bar.End, bar.End + official));
                _pending++;
            }
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another beat got there first: one wake-up is enough.
            }
        }
    }

    private async Task ReadClosesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reader = new CloseReader(this);
            while (await _closes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _closes.Drain(ref reader);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                List<Task> checks = [];
                foreach ((Instrument instrument, CandleInterval interval, DateTime from, DateTime to) in TakeDue(_time.GetUtcNow().UtcDateTime))
                {
                    checks.Add(Check.CheckAsync(instrument, interval, from, to, backfill: false, cancellationToken));
                }

                await Task.WhenAll(checks).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ReconciliationLog.LoopFailed(_log, e);
        }
    }

    /// <summary>The due checks, one window per series covering all its due bars (one request each).</summary>
    private List<(Instrument, CandleInterval, DateTime From, DateTime To)> TakeDue(DateTime nowUtc)
    {
        var windows = new List<(Instrument, CandleInterval, DateTime, DateTime)>();
        lock (_gate)
        {
            foreach (((InstrumentId id, CandleInterval interval), List<DueBar> bars) in _due)
            {
                DateTime from = DateTime.MaxValue;
                DateTime to = DateTime.MinValue;
                int taken = bars.RemoveAll(b =>
                {
                    if (b.DueAt > nowUtc)
                    {
                        return false;
                    }

                    from = b.Start < from ? b.Start : from;
                    to = b.End > to ? b.End : to;
                    return true;
                });
                if (taken > 0)
                {
                    _pending -= taken;
                    windows.Add((_series[(id, interval)], interval, from, to));
                }
            }
        }

        return windows;
    }

    private readonly record struct DueBar(DateTime Start, DateTime End, DateTime DueAt);

    private readonly struct CloseReader(Reconciler owner) : IFirehoseReader
    {
        public void OnTick(in Tick tick)
        {
        }

        public void OnCandleClosed(in CandleEvent candle) => owner.OnClose(in candle);
    }
}
