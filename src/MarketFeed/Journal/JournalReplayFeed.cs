using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Time;

namespace MarketFeed.Journal;

/// <summary>
/// Plays a recording's normalized log back through the hub like any venue (feed <c>replay</c>, ticks with source
/// <c>replay</c>). The host's clock is a <see cref="ManualTimeProvider"/> the replay moves to each event's recorded
/// time before publishing it, so candle timers fire — and candles close — exactly when they did live. Playing starts
/// once something is subscribed, and only ticks of wanted instruments are published; the instruments are the
/// recording's own (from its instrument markers).
/// </summary>
public sealed class JournalReplayFeed : IFeed
{
    public const string FeedName = "replay";

    private readonly JournalReplayOptions _options;
    private readonly ManualTimeProvider _clock;
    private readonly TimeProvider _pace;
    private readonly Dictionary<string, InstrumentId> _ids = new(StringComparer.Ordinal);

    /// <param name="options">What to play and how fast.</param>
    /// <param name="clock">The host's clock, driven by the replay.</param>
    /// <param name="pace">Real time, for pacing at <see cref="JournalReplayOptions.Speed"/> (default the system clock).</param>
    public JournalReplayFeed(JournalReplayOptions options, ManualTimeProvider clock, TimeProvider? pace = null)
    {
        if (options.Speed < 0 || double.IsNaN(options.Speed))
        {
            throw new ArgumentException("replay speed is 1, 10, … or 0 for as fast as possible");
        }

        _options = options;
        _clock = clock;
        _pace = pace ?? TimeProvider.System;
        Health = new FeedHealth(FeedName, clock);
    }

    public string Name => FeedName;

    public FeedHealth Health { get; }

    /// <summary>Ticks published so far.</summary>
    public long Published { get; private set; }

    /// <summary>True once every event of the range has been played.</summary>
    public bool Finished { get; private set; }

    /// <summary>The first recorded instant of the range, where the host's clock should start.</summary>
    public static DateTime? FirstInstant(JournalReplayOptions options) =>
        new JournalLogReader(options.Directory, JournalLogKind.Normalized).Read(options.From, options.To).Select(r => (DateTime?)r.RecordedAt).FirstOrDefault();

    /// <exception cref="JournalException">The log is damaged (named by file and offset: <c>journal verify</c> says what is whole) or empty.</exception>
    public Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken)
    {
        var reader = new JournalLogReader(_options.Directory, JournalLogKind.Normalized);
        foreach (JournalRecord record in reader.Read())
        {
            if (record.Kind == JournalRecordKind.Marker && JournalInstrumentCodec.IsInstrument(record.Payload.Span))
            {
                Instrument instrument = JournalInstrumentCodec.Read(record.Payload.Span) with { Feed = FeedName };
                if (!_ids.ContainsKey(instrument.Symbol))
                {
                    _ids[instrument.Symbol] = registry.Register(instrument).Id;
                }
            }
        }

        if (reader.Damage.Count > 0)
        {
            (string segment, SegmentEnd end) = reader.Damage[0];
            throw new JournalException($"{segment}: damaged at offset {end.Offset} ({end.Reason}); `marketfeed journal verify {_options.Directory}` says which records are whole");
        }

        if (_ids.Count == 0)
        {
            throw new JournalException($"{_options.Directory}: the recording holds no events to replay (its events/ log is empty)");
        }

        return Task.CompletedTask;
    }

    public async Task RunAsync(FeedContext context, CancellationToken cancellationToken)
    {
        Health.SetConnections(1);
        Health.SetState(FeedState.Connected);
        await WaitForSubscribersAsync(context, cancellationToken).ConfigureAwait(false);
        long pacedFrom = _pace.GetTimestamp();
        DateTime? firstAt = null;
        try
        {
            foreach (JournalRecord record in new JournalLogReader(_options.Directory, JournalLogKind.Normalized).Read(_options.From, _options.To))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (record.Kind != JournalRecordKind.Tick)
                {
                    continue;
                }

                firstAt ??= record.RecordedAt;
                if (_options.Speed > 0)
                {
                    TimeSpan due = (record.RecordedAt - firstAt.Value) / _options.Speed - _pace.GetElapsedTime(pacedFrom);
                    if (due > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(due, _pace, cancellationToken).ConfigureAwait(false);
                    }
                }

                var at = new DateTimeOffset(record.RecordedAt);
                if (at > _clock.GetUtcNow())
                {
                    // A timer on the way (a candle close) must see every tick published before it, as it did live.
                    if (_clock.NextDue is { } due && due <= at)
                    {
                        await context.Sink.FlushAsync().ConfigureAwait(false);
                    }

                    _clock.SetUtcNow(at);
                }

                Tick recorded = JournalEventCodec.ReadTick(record.Payload.Span, out string symbol);
                if (!_ids.TryGetValue(symbol, out InstrumentId id) || !context.Subscriptions.IsWanted(id))
                {
                    continue;
                }

                // The log holds what consumers saw: a partial event merged into the latest state. Replayed, it must be
                // the partial event again, or the hub would take the merged fields for news (a book update for a trade).
                var tick = new Tick(id);
                tick.Merge(in recorded);
                tick.Instrument = id;
                tick.Seq = 0;
                tick.Source = TickSource.Replay;
                await context.Sink.PublishAsync(tick, cancellationToken).ConfigureAwait(false);
                Published++;
                Health.CountMessages();
            }

            Finished = true;
            Health.SetState(FeedState.Stopped, "replay finished");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Health.SetConnections(0);
            Health.SetState(FeedState.Stopped);
        }
    }

    /// <summary>Playing to nobody would lose the recording's start: the replay begins once something is subscribed.</summary>
    private async Task WaitForSubscribersAsync(FeedContext context, CancellationToken cancellationToken)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DesiredChange change) => subscribed.TrySetResult();
        context.Subscriptions.Changed += OnChanged;
        try
        {
            if (!_ids.Values.Any(context.Subscriptions.IsWanted))
            {
                await subscribed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            context.Subscriptions.Changed -= OnChanged;
        }
    }

    public Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DoctorCheck>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
