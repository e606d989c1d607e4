using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.Extensions.Logging;

namespace MarketFeed.History;

/// <summary>
/// Compares the closed live bars of one series in a window with the venue's candles for that window (one history
/// request per call) and applies the venue's bars where they differ or where the series has none. Shared by the
/// reconciler (bars that closed) and the backfill (bars an outage missed). Thread-safe.
/// </summary>
internal sealed class OfficialCandleCheck
{
    private readonly MarketHub _hub;
    private readonly IReadOnlyDictionary<string, IHistoricalCandleSource> _sources;
    private readonly CandleRevisionSink _apply;
    private readonly SemaphoreSlim _requests;
    private readonly int _maxBars;
    private readonly ILogger _log;
    private long _checked;
    private long _revised;
    private long _backfilled;
    private long _failed;
    private long _unmatched;
    private long _requestCount;

    public OfficialCandleCheck(MarketHub hub, IReadOnlyDictionary<string, IHistoricalCandleSource> sources, CandleRevisionSink apply, int maxConcurrentRequests, int maxBars, ILogger log)
    {
        _hub = hub;
        _sources = sources;
        _apply = apply;
        _requests = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
        _maxBars = maxBars;
        _log = log;
    }

    public long Checked => Interlocked.Read(ref _checked);

    public long Revised => Interlocked.Read(ref _revised);

    public long Backfilled => Interlocked.Read(ref _backfilled);

    public long Failed => Interlocked.Read(ref _failed);

    public long Unmatched => Interlocked.Read(ref _unmatched);

    public long Requests => Interlocked.Read(ref _requestCount);

    public bool Covers(Instrument instrument) => _sources.ContainsKey(instrument.Feed);

    /// <summary>
    /// Checks the live bars that end in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>]. A live bar that
    /// differs from the venue's is replaced (flagged revised; backfilled too when <paramref name="backfill"/>); with
    /// <paramref name="backfill"/>, a venue bar the series lacks is inserted, flagged backfilled.
    /// </summary>
    public async Task CheckAsync(Instrument instrument, CandleInterval interval, DateTime fromUtc, DateTime toUtc, bool backfill, CancellationToken cancellationToken)
    {
        try
        {
            await CheckCoreAsync(instrument, interval, fromUtc, toUtc, backfill, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything unforeseen (the hub stopping under us) costs this check only, never the loop that runs the next.
            Interlocked.Increment(ref _failed);
            ReconciliationLog.ApplyFailed(_log, instrument.Symbol, interval.Label, e);
        }
    }

    private async Task CheckCoreAsync(Instrument instrument, CandleInterval interval, DateTime fromUtc, DateTime toUtc, bool backfill, CancellationToken cancellationToken)
    {
        if (!_sources.TryGetValue(instrument.Feed, out IHistoricalCandleSource? source))
        {
            return;
        }

        int count = CandleSchedule.BarsBefore(instrument.Calendar, interval, toUtc, _maxBars).Count(b => b.End > fromUtc);
        if (count == 0)
        {
            return;
        }

        IReadOnlyList<Candle> venue;
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestCount);
            venue = await source.GetHistoryAsync(instrument, interval, toUtc, count, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            ReconciliationLog.RequestFailed(_log, instrument.Symbol, interval.Label, e);
            return;
        }
        finally
        {
            _requests.Release();
        }

        CandleSnapshot live = await _hub.GetCandlesAsync(instrument.Id, interval, _hub.Options.Candles.HistoryCapacity).ConfigureAwait(false);
        var liveByStart = new Dictionary<DateTime, Candle>();
        foreach (Candle bar in live.Closed)
        {
            if (bar.End > fromUtc && bar.End <= toUtc)
            {
                liveByStart[bar.Start] = bar;
            }
        }

        List<Candle> changes = [];
        var matched = new HashSet<DateTime>();
        int replaced = 0;
        foreach (Candle official in Normalized(venue, fromUtc, toUtc))
        {
            if (liveByStart.TryGetValue(official.Start, out Candle bar))
            {
                matched.Add(bar.Start);
                if (IsHistoryOnly(bar))
                {
                    continue;
                }

                Interlocked.Increment(ref _checked);
                if (!SameValues(bar, official))
                {
                    CandleFlags flags = CandleFlags.Closed | CandleFlags.Revised | (backfill ? CandleFlags.Backfilled : CandleFlags.None);
                    changes.Add(official with { End = bar.End, Ticks = bar.Ticks, Flags = flags });
                    replaced++;
                }
            }
            else if (backfill)
            {
                changes.Add(official with { Flags = CandleFlags.Closed | CandleFlags.Backfilled });
            }
        }

        if (!backfill)
        {
            Interlocked.Add(ref _unmatched, liveByStart.Values.Count(b => !matched.Contains(b.Start) && !IsHistoryOnly(b)));
        }

        if (changes.Count == 0)
        {
            return;
        }

        try
        {
            await _apply(instrument, interval, changes, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _revised, replaced);
            Interlocked.Add(ref _backfilled, changes.Count - replaced);
            ReconciliationLog.Applied(_log, instrument.Symbol, interval.Label, replaced, changes.Count - replaced);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            ReconciliationLog.ApplyFailed(_log, instrument.Symbol, interval.Label, e);
        }
    }

    /// <summary>Exact fixed-point comparison of O, H, L, C and volume (an absent volume counts as zero).</summary>
    public static bool SameValues(in Candle live, in Candle official) =>
        live.Open == official.Open && live.High == official.High && live.Low == official.Low && live.Close == official.Close
        && VolumeOf(live) == VolumeOf(official);

    private static Quantity VolumeOf(in Candle bar) => bar.Volume.HasValue ? bar.Volume : Quantity.Zero;

    /// <summary>A bar seeded from history and never revised is the venue's already.</summary>
    private static bool IsHistoryOnly(in Candle bar) =>
        (bar.Flags & CandleFlags.History) != 0 && (bar.Flags & (CandleFlags.Revised | CandleFlags.Backfilled)) == 0;

    /// <summary>The venue's closed bars in the window, one per start, oldest first; bars with impossible values are skipped.</summary>
    private static IEnumerable<Candle> Normalized(IReadOnlyList<Candle> venue, DateTime fromUtc, DateTime toUtc)
    {
        var byStart = new SortedDictionary<DateTime, Candle>();
        foreach (Candle bar in venue)
        {
            bool sane = bar.End > bar.Start && bar.Open.HasValue && bar.High >= bar.Low && bar.High >= bar.Open && bar.High >= bar.Close
                && bar.Low <= bar.Open && bar.Low <= bar.Close;
            if (sane && bar.End > fromUtc && bar.End <= toUtc)
            {
                byStart[bar.Start] = bar;
            }
        }

        return byStart.Values;
    }
}
