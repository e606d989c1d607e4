using System.Threading.Channels;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Taps;

namespace MarketFeed.Hub;

/// <summary>
/// One single-writer pipeline. Every event for the instruments hashed here is applied in arrival order by one
/// loop: admit → quote book → candles → fan-out. Because only this loop touches the per-instrument state, the hot
/// path takes no locks except the O(1) post into each subscriber's mailbox.
/// </summary>
internal sealed partial class HubPartition : ICandleSink
{
    private static readonly TimeSpan BookSnapshotRetry = TimeSpan.FromSeconds(5);

    private readonly MarketHub _hub;
    private readonly Channel<HubEvent> _queue;
    private readonly IReadOnlyList<CandleInterval> _defaultIntervals;
    private readonly long _outlierBandBasisPoints;
    private readonly List<InstrumentState> _active = [];
    private InstrumentState?[] _states = new InstrumentState?[64];

    public HubPartition(MarketHub hub, int index)
    {
        _hub = hub;
        Index = index;
        _queue = Channel.CreateBounded<HubEvent>(new BoundedChannelOptions(hub.Options.IngestCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        _defaultIntervals = hub.Options.Candles.ParsedIntervals();
        _outlierBandBasisPoints = (long)(hub.Options.OutlierBandPercent * 100m);
    }

    public int Index { get; }

    public QualityCounters Counters { get; } = new();

    public long PipelineErrors;

    public int QueueDepth => _queue.Reader.Count;

    public IEnumerable<InstrumentState> ActiveStates => _active;

    public bool TryEnqueue(in HubEvent hubEvent) => _queue.Writer.TryWrite(hubEvent);

    public ValueTask EnqueueAsync(HubEvent hubEvent, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(hubEvent, cancellationToken);

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync()
    {
        ChannelReader<HubEvent> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out HubEvent hubEvent))
            {
                try
                {
                    Handle(in hubEvent);
                }
                catch (Exception e)
                {
                    // The pipeline must outlive any bug in one event; the count makes the bug visible.
                    Interlocked.Increment(ref PipelineErrors);
                    _hub.Log.PipelineError(Index, e);
                }
            }
        }
    }

    internal void Handle(in HubEvent hubEvent)
    {
        switch (hubEvent.Kind)
        {
            case HubEventKind.Tick:
                Tick tick = hubEvent.Tick;
                Process(ref tick);
                break;
            case HubEventKind.Clock:
                OnClock(_hub.Time.GetUtcNow().UtcDateTime);
                break;
            case HubEventKind.Work:
                hubEvent.Work!.Run(this);
                break;
            case HubEventKind.Book:
                BookUpdate book = hubEvent.Book!;
                try
                {
                    ProcessBook(book);
                }
                finally
                {
                    BookUpdate.Return(book);
                }

                break;
        }
    }

    /// <summary>The hot path for one tick. Public to the benchmarks through <see cref="MarketHub"/> internals.</summary>
    internal void Process(ref Tick tick)
    {
        QualityCounters counters = Counters;
        counters.Received++;
        InstrumentId id = tick.Instrument;
        if (WantedState(id) is not { } state)
        {
            return;
        }

        QuoteSlot slot = state.Slot;
        switch (state.Admission.Admit(ref tick, in slot.WriterView, slot.HasTick))
        {
            case AdmissionVerdict.Accept:
                break;
            case AdmissionVerdict.DropDuplicate:
                counters.DroppedDuplicate++;
                return;
            case AdmissionVerdict.RejectInvalidPrice:
                counters.RejectedInvalidPrice++;
                return;
            case AdmissionVerdict.RejectInvalidQuantity:
                counters.RejectedInvalidQuantity++;
                return;
            case AdmissionVerdict.RejectFutureTimestamp:
                counters.RejectedFutureTimestamp++;
                return;
            case AdmissionVerdict.RejectInconsistent:
                counters.RejectedInconsistent++;
                return;
        }

        counters.Accepted++;
        tick.Seq = ++state.Seq;
        if (tick.HasExchangeTime && tick.ReceiveTime.Ticks != 0)
        {
            state.Latency.Record(Index, tick.ExchangeTime, tick.ReceiveTime);
        }

        TickFlags flags = tick.Flags;
        if ((flags & TickFlags.ClockAhead) != 0)
        {
            counters.FlaggedClockAhead++;
        }

        // Cache, then publish: the quote book and candles hold this tick before any consumer hears of it. An older
        // tick or an unconfirmed outlier is delivered flagged but never becomes the latest quote or part of a candle.
        if ((flags & TickFlags.OutOfOrder) != 0)
        {
            counters.FlaggedOutOfOrder++;
        }
        else if ((flags & TickFlags.Outlier) != 0)
        {
            counters.FlaggedOutlier++;
        }
        else if (tick.Updates is TickFields.All or TickFields.None)
        {
            slot.Write(in tick);
        }
        else
        {
            // A partial event is merged into the latest state, and that merged state is what consumers receive.
            // Before the first event the state is a tick with every field absent, never a zeroed struct.
            Tick partial = tick;
            tick = slot.HasTick ? slot.WriterView : new Tick(id);
            tick.Merge(in partial);
            slot.Write(in tick);
            slot.RecordUpdate(in tick);
            ApplyCandles(state, in partial);
            Fanout(id, in tick);
            return;
        }

        slot.RecordUpdate(in tick);
        if ((flags & (TickFlags.OutOfOrder | TickFlags.Outlier)) == 0)
        {
            ApplyCandles(state, in tick);
        }

        Fanout(id, in tick);
    }

    /// <summary>Candles take the event itself (a book-only update carries no price and adds nothing to a bar).</summary>
    private void ApplyCandles(InstrumentState state, in Tick tick)
    {
        QualityCounters counters = Counters;
        InstrumentCandles candles = state.Candles;
        long lateBefore = candles.LateTicks;
        long resetsBefore = candles.VolumeResets;
        candles.Apply(in tick, this);
        counters.LateForCandles += candles.LateTicks - lateBefore;
        counters.VolumeResets += candles.VolumeResets - resetsBefore;
    }

    private void Fanout(InstrumentId id, in Tick tick)
    {
        foreach (HubSubscriber subscriber in _hub.Index.For(id))
        {
            subscriber.PostTick(in tick);
        }

        Firehose[] firehoses = _hub.Firehoses;
        foreach (Firehose firehose in firehoses)
        {
            firehose.WriteTick(Index, in tick);
        }
    }

    internal void OnClock(DateTime nowUtc)
    {
        foreach (InstrumentState state in _active)
        {
            state.Candles.Advance(nowUtc, this);
        }
    }

    /// <summary>The state of an instrument somebody wants; null (and counted) for one nobody wants or nobody knows.</summary>
    private InstrumentState? WantedState(InstrumentId id)
    {
        if (!_hub.Subscriptions.IsWanted(id))
        {
            Counters.DroppedUnwanted++;
            return null;
        }

        InstrumentState? state = GetOrCreateState(id);
        if (state is null)
        {
            Counters.DroppedUnknownInstrument++;
        }

        return state;
    }

    internal InstrumentState? GetOrCreateState(InstrumentId id)
    {
        InstrumentState?[] states = _states;
        if ((uint)id.Value < (uint)states.Length && states[id.Value] is { } existing)
        {
            return existing;
        }

        if (!_hub.Registry.TryGet(id, out Instrument? instrument))
        {
            return null;
        }

        if (id.Value >= states.Length)
        {
            Array.Resize(ref _states, Math.Max(states.Length * 2, id.Value + 1));
        }

        HubOptions options = _hub.Options;
        var state = new InstrumentState(
            instrument,
            _hub.Quotes.GetOrCreate(instrument),
            new TickAdmission(_outlierBandBasisPoints, options.OutlierConfirmations, options.MaxClockSkew.Ticks, options.FutureTolerance.Ticks, instrument.TickSize.Raw),
            new InstrumentCandles(instrument, options.Candles, _defaultIntervals, _hub.Time.GetUtcNow().UtcDateTime, _hub.CandleGraceOf(instrument.Feed)),
            _hub.LatencyOf(instrument.Feed));
        _states[id.Value] = state;
        _active.Add(state);
        foreach (CandleSeries series in state.Candles.Series)
        {
            _hub.RequestHistory(instrument, series.Interval);
        }

        return state;
    }

    /// <summary>The series of one timeframe, created (and seeded from history) on first use.</summary>
    internal CandleSeries? GetOrAddSeries(InstrumentId id, CandleInterval interval)
    {
        InstrumentState? state = GetOrCreateState(id);
        if (state is null)
        {
            return null;
        }

        CandleSeries series = state.Candles.GetOrAdd(interval, _hub.Time.GetUtcNow().UtcDateTime, this, out bool created);
        if (created)
        {
            _hub.RequestHistory(state.Instrument, interval);
        }

        return series;
    }

    internal IReadOnlyList<(CandleInterval Interval, IReadOnlyDictionary<CandleOrigin, int> Origins)> Origins(InstrumentId id)
    {
        if ((uint)id.Value >= (uint)_states.Length || _states[id.Value] is not { } state)
        {
            return [];
        }

        return [.. state.Candles.Series.Select(series => (series.Interval, (IReadOnlyDictionary<CandleOrigin, int>)series
            .History(series.HistoryCount).GroupBy(c => c.Origin).ToDictionary(g => g.Key, g => g.Count())))];
    }

    internal CandleSnapshot Snapshot(InstrumentId id, CandleInterval interval, int count)
    {
        CandleSeries? series = GetOrAddSeries(id, interval);
        return series is null
            ? CandleSnapshot.Empty(interval)
            : new CandleSnapshot(interval, series.History(count), series.Current, series.Sequence);
    }

    /// <summary>
    /// Applies revised or backfilled closed bars to one instrument's series (coarser timeframes follow) and tells every
    /// subscriber of the interval and every firehose, as revisions. Returns the changes (the coarser ones included).
    /// </summary>
    internal List<CandleChange> Revise(InstrumentId id, CandleInterval interval, IReadOnlyList<Candle> bars)
    {
        var changes = new List<CandleChange>();
        if (GetOrCreateState(id) is not { } state)
        {
            return changes;
        }

        state.Candles.Revise(interval, bars, this, changes);
        Firehose[] firehoses = _hub.Firehoses;
        foreach (CandleChange change in changes)
        {
            var revision = new CandleRevision(id, change.Series.Interval, change.Old, change.New, change.Seq);
            foreach (HubSubscriber subscriber in _hub.Index.For(id))
            {
                subscriber.PostRevision(in revision);
            }

            foreach (Firehose firehose in firehoses)
            {
                firehose.WriteRevision(Index, in revision);
            }
        }

        return changes;
    }

    public void OnCandleUpdated(CandleSeries series, in Candle candle)
    {
        var candleEvent = new CandleEvent(series.Instrument, series.Interval, candle, series.Sequence);
        foreach (HubSubscriber subscriber in _hub.Index.For(series.Instrument))
        {
            subscriber.PostCandle(in candleEvent);
        }
    }

    public void OnCandleClosed(CandleSeries series, in Candle candle)
    {
        OnCandleUpdated(series, in candle);
        Firehose[] firehoses = _hub.Firehoses;
        if (firehoses.Length > 0)
        {
            var closed = new CandleEvent(series.Instrument, series.Interval, candle, series.Sequence);
            foreach (Firehose firehose in firehoses)
            {
                firehose.WriteCandle(Index, in closed);
            }
        }
    }
}
