using System.Collections.Concurrent;
using MarketFeed.Candles;
using MarketFeed.History;
using MarketFeed.Instruments;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// Fills each new series with its past, off the partition: the candle store first, then the venue's history for what
/// the store lacks (before its first bar, and the hole from its last bar to now — those bars are backfilled), every
/// venue answer normalized onto the session grid, then written to the store and seeded on the partition. Live data
/// wins where both have a bar; the bar forming when the series started stays partial. Loads run concurrently; the
/// venue's REST client paces them within its rate limits.
/// </summary>
internal sealed class CandleBootstrap(MarketHub hub)
{
    private readonly ConcurrentDictionary<(InstrumentId, CandleInterval), Task> _loading = new();
    private readonly ConcurrentDictionary<(InstrumentId, CandleInterval), SeriesLoadStatus> _status = new();
    private long _skippedBars;
    private long _rebucketedBars;
    private long _venueRequests;
    private long _writeFailures;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _loggedReadFailures = new(StringComparer.Ordinal);

    public Func<Instrument, CandleInterval, DateTime, int, CancellationToken, Task<IReadOnlyList<Candle>>>? Source { get; set; }

    public ICandleStore? Store { get; set; }

    /// <summary>Where bars to store go (the store's batching writer); straight to <see cref="Store"/> without it.</summary>
    public Func<IReadOnlyList<StoredCandle>, CancellationToken, ValueTask>? Writer { get; set; }

    /// <summary>The writer reads revised and backfilled bars from its own firehose, so they are not handed to it here.</summary>
    public bool WriterReadsRevisions { get; set; }

    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Bars of venue history answers skipped by normalization (off the grid, duplicated, not ended, impossible prices).</summary>
    public long SkippedBars => Interlocked.Read(ref _skippedBars);

    /// <summary>Bars of venue history answers moved onto the session grid.</summary>
    public long RebucketedBars => Interlocked.Read(ref _rebucketedBars);

    /// <summary>History requests made of the venues (each may be several REST pages inside the venue's client).</summary>
    public long VenueRequests => Interlocked.Read(ref _venueRequests);

    public Task? LoadingOf(InstrumentId instrument, CandleInterval interval) => _loading.GetValueOrDefault((instrument, interval));

    public IReadOnlyList<SeriesLoadStatus> StatusOf(InstrumentId instrument) =>
        [.. _status.Where(s => s.Key.Item1 == instrument).Select(s => s.Value).OrderBy(s => s.Interval)];

    /// <summary>Starts loading a new series (called on its partition when the series is created).</summary>
    public void Request(Instrument instrument, CandleInterval interval, CancellationToken stopping)
    {
        CandleOptions options = hub.Options.Candles;
        if ((Source is null && Store is null) || options.HistoryBars <= 0)
        {
            return;
        }

        DateTime nowUtc = hub.Time.GetUtcNow().UtcDateTime;
        (InstrumentId, CandleInterval) key = (instrument.Id, interval);
        _status[key] = new SeriesLoadStatus(interval, SeriesLoadState.Loading, null, 0, 0, 0, 0, 0, null);
        Task loading = Task.Run(() => LoadAsync(instrument, interval, nowUtc, stopping), CancellationToken.None);
        _loading[key] = loading;
        _ = loading.ContinueWith(_ => _loading.TryRemove(key, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task LoadAsync(Instrument instrument, CandleInterval interval, DateTime nowUtc, CancellationToken ct)
    {
        CandleOptions options = hub.Options.Candles;
        int minBars = interval.Length >= TimeSpan.FromDays(1) ? options.HistoryBars : 0;
        (DateTime windowStart, int wanted) = CandleHistoryWindow.Of(instrument.Calendar, interval, nowUtc, options.HistoryDays, minBars, options.HistoryCapacity);
        var load = new Load(interval);
        try
        {
            IReadOnlyList<Candle> stored = await ReadStoreAsync(instrument, interval, windowStart, nowUtc, ct).ConfigureAwait(false);
            load.FromStore = stored.Count;
            var fetched = new List<Candle>();
            if (stored.Count == 0)
            {
                fetched.AddRange(await FetchAsync(instrument, interval, nowUtc, wanted, CandleFlags.None, load, ct).ConfigureAwait(false));
            }
            else
            {
                int front = CandleHistoryWindow.BarsBetween(instrument.Calendar, interval, windowStart, stored[0].Start);
                if (front > 0)
                {
                    fetched.AddRange(await FetchAsync(instrument, interval, stored[0].Start, front, CandleFlags.None, load, ct).ConfigureAwait(false));
                }

                int hole = CandleHistoryWindow.BarsBetween(instrument.Calendar, interval, stored[^1].End, nowUtc);
                if (hole > 0)
                {
                    List<Candle> tail = await FetchAsync(instrument, interval, nowUtc, hole, CandleFlags.Backfilled, load, ct).ConfigureAwait(false);
                    fetched.AddRange(tail.Where(c => c.Start >= stored[^1].End));
                    load.Backfilled = fetched.Count(c => (c.Flags & CandleFlags.Backfilled) != 0);
                }
            }

            load.FromVenue = fetched.Count;
            if (fetched.Count > 0)
            {
                await WriteAsync([.. fetched.Select(c => new StoredCandle(instrument.Symbol, interval, c))], ct).ConfigureAwait(false);
            }

            Candle[] past = Merge(stored, fetched, wanted);
            await hub.SeedAsync(instrument.Id, interval, past).ConfigureAwait(false);
            load.State = load.Error is null ? SeriesLoadState.Loaded : SeriesLoadState.Failed;
        }
        catch (OperationCanceledException)
        {
            load.State = SeriesLoadState.Failed;
            load.Error = "cancelled";
        }
        finally
        {
            load.LoadedAt = hub.Time.GetUtcNow().UtcDateTime;
            _status[(instrument.Id, interval)] = load.ToStatus();
        }
    }

    /// <summary>Stores bars (venue history, backfilled, revised); a failure is logged and counted, the bars stay in memory.</summary>
    public async Task WriteAsync(IReadOnlyList<StoredCandle> candles, CancellationToken ct)
    {
        try
        {
            if (Writer is { } writer)
            {
                await writer(candles, ct).ConfigureAwait(false);
            }
            else if (Store is { } store)
            {
                await store.WriteAsync(candles, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref _writeFailures);
            hub.Log.CandleWriteFailed(candles.Count, Store?.Description ?? "writer", e);
        }
    }

    private async Task<IReadOnlyList<Candle>> ReadStoreAsync(Instrument instrument, CandleInterval interval, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        if (Store is not { } store)
        {
            return [];
        }

        try
        {
            IReadOnlyList<Candle> rows = await store.ReadAsync(instrument.Symbol, interval, fromUtc, toUtc, ct).ConfigureAwait(false);
            return [.. rows.Where(c => c.End <= toUtc).OrderBy(c => c.Start)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Once per error: a store that cannot be read fails the same way for every series (a corrupt file: dozens).
            if (_loggedReadFailures.TryAdd(e.Message, 0))
            {
                hub.Log.StoreReadFailed(instrument.Symbol, interval.Label, store.Description, e);
            }

            return [];
        }
    }

    /// <summary>Up to <paramref name="count"/> bars ending by <paramref name="endUtc"/> from the venue, normalized; a failure is recorded on the load.</summary>
    private async Task<List<Candle>> FetchAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CandleFlags flags, Load load, CancellationToken ct)
    {
        if (Source is not { } source)
        {
            return [];
        }

        try
        {
            Interlocked.Increment(ref _venueRequests);
            load.VenueRequests++;
            DateTime askEnd = CandleHistoryWindow.LastTradedBy(instrument.Calendar, endUtc);
            IReadOnlyList<Candle> answer = await source(instrument, interval, askEnd, count, ct).ConfigureAwait(false);
            IReadOnlyList<Candle> bars = CandleHistoryNormalizer.Normalize(answer, instrument.Calendar, interval, endUtc, out HistoryAnswerCounts counts);
            load.Skipped += counts.Skipped;
            Interlocked.Add(ref _skippedBars, counts.Skipped);
            Interlocked.Add(ref _rebucketedBars, counts.Rebucketed);
            return [.. bars.TakeLast(count).Select(c => c with { Flags = c.Flags | flags })];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            hub.CountHistoryFailure(instrument.Symbol, interval, e);
            load.Error = e.Message;
            return [];
        }
    }

    /// <summary>Store and venue bars in start order (the store's where both have one), the latest <paramref name="max"/>.</summary>
    private static Candle[] Merge(IReadOnlyList<Candle> stored, List<Candle> fetched, int max)
    {
        var byStart = new SortedDictionary<DateTime, Candle>();
        foreach (Candle bar in fetched)
        {
            byStart[bar.Start] = bar;
        }

        foreach (Candle bar in stored)
        {
            byStart[bar.Start] = bar;
        }

        return [.. byStart.Values.TakeLast(Math.Max(max, 1))];
    }

    private sealed class Load(CandleInterval interval)
    {
        public SeriesLoadState State { get; set; } = SeriesLoadState.Loading;

        public DateTime? LoadedAt { get; set; }

        public int FromStore { get; set; }

        public int FromVenue { get; set; }

        public int Backfilled { get; set; }

        public int VenueRequests { get; set; }

        public int Skipped { get; set; }

        public string? Error { get; set; }

        public SeriesLoadStatus ToStatus() => new(interval, State, LoadedAt, FromStore, FromVenue, Backfilled, VenueRequests, Skipped, Error);
    }
}
