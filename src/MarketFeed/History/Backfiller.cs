using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using Microsoft.Extensions.Logging;

namespace MarketFeed.History;

/// <summary>
/// Watches each feed's state: when it leaves <see cref="FeedState.Connected"/> (reconnecting, failed over to polling,
/// disconnected) an outage starts; when the stream is back, <see cref="ReconciliationOptions.BackfillAfter"/> later,
/// every live series of that feed is checked against the venue's candles for the outage: bars the series lacks are
/// inserted in order flagged <see cref="CandleFlags.Backfilled"/>, bars built while it was down (partial, or from polled
/// quotes) are replaced by the venue's, flagged revised and backfilled. Consumers get both as revisions.
/// </summary>
public sealed class Backfiller : IAsyncDisposable
{
    private readonly Reconciler _owner;
    private readonly ReconciliationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTime> _downSince = new(StringComparer.Ordinal);
    private readonly List<(IFeed Feed, Action<FeedStateChange> Handler)> _handlers = [];
    private readonly List<Task> _runs = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _outages;

    internal Backfiller(Reconciler owner, IEnumerable<IFeed> feeds, ReconciliationOptions options, TimeProvider time, ILogger log)
    {
        _owner = owner;
        _options = options;
        _time = time;
        _log = log;
        foreach (IFeed feed in feeds.Where(f => f is IHistoricalCandleSource))
        {
            Action<FeedStateChange> handler = OnStateChanged;
            feed.Health.StateChanged += handler;
            _handlers.Add((feed, handler));
        }
    }

    /// <summary>Outages that ended and were backfilled (or are being).</summary>
    public long Outages => Interlocked.Read(ref _outages);

    /// <summary>Completes when every backfill started so far has finished (tests, shutdown).</summary>
    public Task IdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll([.. _runs]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach ((IFeed feed, Action<FeedStateChange> handler) in _handlers)
        {
            feed.Health.StateChanged -= handler;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await IdleAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void OnStateChanged(FeedStateChange change)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            if (change.To is FeedState.Reconnecting or FeedState.Polling or FeedState.Disconnected or FeedState.AuthFailed)
            {
                // Only a feed that was streaming can miss bars; a feed set to poll from the start never was.
                if (change.From is not (FeedState.Starting or FeedState.Connecting) || _downSince.ContainsKey(change.Feed))
                {
                    _downSince.TryAdd(change.Feed, now);
                }

                return;
            }

            if (change.To != FeedState.Connected || !_downSince.Remove(change.Feed, out DateTime since) || _stopping.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _outages);
            _runs.RemoveAll(r => r.IsCompleted);
            _runs.Add(Task.Run(() => RunAsync(change.Feed, since, now, _stopping.Token)));
        }
    }

    private async Task RunAsync(string feed, DateTime since, DateTime backAt, CancellationToken cancellationToken)
    {
        try
        {
            if (_options.BackfillAfter > TimeSpan.Zero)
            {
                await Task.Delay(_options.BackfillAfter, _time, cancellationToken).ConfigureAwait(false);
            }

            // Bars that closed by now; the one forming when the stream came back is reconciled when it closes.
            DateTime through = _time.GetUtcNow().UtcDateTime;
            IReadOnlyList<(Instrument Instrument, CandleInterval Interval)> series = _owner.SeriesOf(feed);
            ReconciliationLog.Backfilling(_log, feed, since, backAt, series.Count);
            await Task.WhenAll(series.Select(s => _owner.Check.CheckAsync(s.Instrument, s.Interval, since, through, backfill: true, cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
