using System.Threading.Channels;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Quality;

namespace MarketFeed.Hub;

/// <summary>
/// One single-writer pipeline. Every event for the instruments hashed here is applied in arrival order by one
/// loop: admit → quote book → candles → fan-out. Because only this loop touches the per-instrument state, the hot
/// path takes no locks except the O(1) post into each subscriber's mailbox.
/// </summary>
internal sealed class HubPartition : ICandleSink
{
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
        }
    }

    /// <summary>The hot path for one tick. Public to the benchmarks through <see cref="MarketHub"/> internals.</summary>
    internal void Process(ref Tick tick)
    {
        QualityCounters counters = Counters;
        counters.Received++;
        InstrumentId id = tick.Instrument;
        if (!_hub.Subscriptions.IsWanted(id))
        {
            counters.DroppedUnwanted++;
            return;
        }

        InstrumentState? state = GetOrCreateState(id);
        if (state is null)
        {
            counters.DroppedUnknownInstrument++;
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
        else
        {
            slot.Write(in tick);
        }

        slot.RecordUpdate(in tick);
        if ((flags & (TickFlags.OutOfOrder | TickFlags.Outlier)) == 0)
        {
            InstrumentCandles candles = state.Candles;
            long lateBefore = candles.LateTicks;
            long resetsBefore = candles.VolumeResets;
            candles.Apply(in tick, this);
            counters.LateForCandles += candles.LateTicks - lateBefore;
            counters.VolumeResets += candles.VolumeResets - resetsBefore;
        }

        foreach (HubSubscriber subscriber in _hub.Index.For(id))
        {
            subscriber.PostTick(in tick);
        }
    }

    internal void OnClock(DateTime nowUtc)
    {
        foreach (InstrumentState state in _active)
        {
            state.Candles.Advance(nowUtc, this);
        }
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
            new TickAdmission(_outlierBandBasisPoints, options.OutlierConfirmations, options.MaxClockSkew.Ticks, options.FutureTolerance.Ticks),
            new InstrumentCandles(instrument, options.Candles, _defaultIntervals));
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

        CandleSeries series = state.Candles.GetOrAdd(interval, out bool created);
        if (created)
        {
            _hub.RequestHistory(state.Instrument, interval);
        }

        return series;
    }

    internal CandleSnapshot Snapshot(InstrumentId id, CandleInterval interval, int count)
    {
        CandleSeries? series = GetOrAddSeries(id, interval);
        return series is null
            ? CandleSnapshot.Empty(interval)
            : new CandleSnapshot(interval, series.History(count), series.Current, series.Sequence);
    }

    public void OnCandleUpdated(CandleSeries series, in Candle candle)
    {
        var candleEvent = new CandleEvent(series.Instrument, series.Interval, candle, series.Sequence);
        foreach (HubSubscriber subscriber in _hub.Index.For(series.Instrument))
        {
            subscriber.PostCandle(in candleEvent);
        }
    }

    public void OnCandleClosed(CandleSeries series, in Candle candle) => OnCandleUpdated(series, in candle);
}
