using System.Threading.Channels;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Taps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.History;

/// <summary>
/// Writes closed candles through to a store without ever making the hub wait: the hub hands closes and revised or
/// backfilled bars to a firehose of this writer's own (candles only, in the hub's order; a full one drops and counts), a pump moves them into a bounded buffer, and one
/// task writes the buffer in batches, each batch one transaction. While the store is down (unreachable, locked,
/// corrupt) the candles stay buffered and the store is tried again every <see cref="CandleStoreOptions.RetryInterval"/>;
/// they are written when it returns. Each change of state is logged once.
/// </summary>
public sealed partial class CandleStoreWriter : IAsyncDisposable
{
    /// <summary>Real time, not the injected clock: a test's manual clock must not hold a shutdown forever.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly CandleStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<StoredCandle> _buffer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Firehose? _firehose;
    private readonly Task _pump;
    private readonly Task _writer;
    private readonly string _kind;
    private long _written;
    private long _failures;
    private long _dropped;
    private int _batchPending;
    private volatile string? _lastError;
    private volatile CandleStoreState _state = CandleStoreState.Opening;

    private CandleStoreWriter(ICandleStore store, MarketHub? hub, InstrumentRegistry? instruments, CandleStoreOptions options, TimeProvider time, ILogger logger)
    {
        options.Validate();
        Store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _kind = store.Description.Split(' ', 2)[0];
        _buffer = Channel.CreateBounded<StoredCandle>(new BoundedChannelOptions(options.BufferCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteAsync);
        if (hub is not null && instruments is not null)
        {
            _firehose = hub.AttachFirehose(new FirehoseOptions { Capacity = 4_096, CandlesOnly = true });
            _pump = Task.Run(() => PumpAsync(new Closes(this, instruments)));
        }
        else
        {
            _pump = Task.CompletedTask;
        }
    }

    /// <summary>The store written to (and read from by history consumers).</summary>
    public ICandleStore Store { get; }

    /// <summary>Writes every candle <paramref name="hub"/> closes into <paramref name="store"/>, opening it first.</summary>
    public static CandleStoreWriter Start(ICandleStore store, MarketHub hub, InstrumentRegistry instruments, CandleStoreOptions? options = null, TimeProvider? time = null, ILogger? logger = null) =>
        new(store, hub, instruments, options ?? new CandleStoreOptions(), time ?? TimeProvider.System, logger ?? NullLogger.Instance);

    /// <summary>A writer fed only through <see cref="Enqueue"/> (imports, tools, tests).</summary>
    public static CandleStoreWriter Start(ICandleStore store, CandleStoreOptions? options = null, TimeProvider? time = null, ILogger? logger = null) =>
        new(store, null, null, options ?? new CandleStoreOptions(), time ?? TimeProvider.System, logger ?? NullLogger.Instance);

    public CandleStoreStatus Status => new(
        _kind,
        Store.Description,
        _state,
        Interlocked.Read(ref _written),
        _buffer.Reader.Count + Volatile.Read(ref _batchPending) + (_firehose?.Pending ?? 0),
        Interlocked.Read(ref _failures),
        Interlocked.Read(ref _dropped) + (_firehose?.Dropped ?? 0),
        _lastError);

    /// <summary>
    /// Queues one bar to be written (a revised or backfilled bar replaces the stored one at its key); false, and
    /// counted as dropped, when the buffer is full or the writer has stopped. Never blocks.
    /// </summary>
    public bool Enqueue(StoredCandle candle)
    {
        if (_buffer.Writer.TryWrite(candle))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Writes what is buffered (giving up after a few seconds if the store is down: the rest is counted as dropped), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        if (_firehose is not null)
        {
            await _firehose.DisposeAsync().ConfigureAwait(false);
        }

        _buffer.Writer.TryComplete();
        if (await Task.WhenAny(_writer, Task.Delay(ShutdownGrace, TimeProvider.System)).ConfigureAwait(false) != _writer)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        await _writer.ConfigureAwait(false);
        DropAll([]);
        _state = CandleStoreState.Stopped;
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task PumpAsync(Closes closes)
    {
        try
        {
            while (await _firehose!.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                _firehose.Drain(ref closes);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        _firehose!.Drain(ref closes);
    }

    private async Task WriteAsync()
    {
        ChannelReader<StoredCandle> buffer = _buffer.Reader;
        var batch = new List<StoredCandle>(Math.Min(_options.BatchSize, 4_096));
        bool opened = false;
        while (true)
        {
            try
            {
                if (!opened)
                {
                    await Store.OpenAsync(_abort.Token).ConfigureAwait(false);
                    opened = true;
                    Succeeded();
                }

                if (batch.Count == 0)
                {
                    if (!await buffer.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    while (batch.Count < _options.BatchSize && buffer.TryRead(out StoredCandle candle))
                    {
                        batch.Add(candle);
                    }

                    Volatile.Write(ref _batchPending, batch.Count);
                }

                await Store.WriteAsync(batch, _abort.Token).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
                batch.Clear();
                Volatile.Write(ref _batchPending, 0);
                Succeeded();
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                DropAll(batch);
                return;
            }
            catch (Exception e)
            {
                Failed(e);
                if (_stopping.IsCancellationRequested)
                {
                    // Shutting down and the store still fails (its last try came after the retry wait was cut short).
                    DropAll(batch);
                    return;
                }

                await RetryDelayAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits before trying the store again; a shutdown cuts the wait short for one last try.</summary>
    private async Task RetryDelayAsync()
    {
        try
        {
            await Task.Delay(_options.RetryInterval, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void DropAll(List<StoredCandle> batch)
    {
        long dropped = batch.Count;
        batch.Clear();
        Volatile.Write(ref _batchPending, 0);
        while (_buffer.Reader.TryRead(out _))
        {
            dropped++;
        }

        Interlocked.Add(ref _dropped, dropped);
    }

    private void Succeeded()
    {
        if (_state != CandleStoreState.Ok)
        {
            CandleStoreState was = _state;
            _state = CandleStoreState.Ok;
            if (was == CandleStoreState.Failed)
            {
                LogRecovered(_logger, Store.Description, Interlocked.Read(ref _written));
            }
            else
            {
                LogOpened(_logger, Store.Description);
            }
        }
    }

    private void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        string error = FeedHealth.Sanitize(e is CandleStoreException ? e.Message : $"{Store.Description}: {e.Message}")!;
        _lastError = error;
        if (_state != CandleStoreState.Failed)
        {
            _state = CandleStoreState.Failed;
            LogFailed(_logger, error, _options.RetryInterval.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "history: storing closed candles in {Store}")]
    private static partial void LogOpened(ILogger logger, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "history: {Error}; candles are kept and the store is tried again every {RetrySeconds} s (live data is not affected)")]
    private static partial void LogFailed(ILogger logger, string error, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "history: {Store} is back; {Written} candles written in all")]
    private static partial void LogRecovered(ILogger logger, string store, long written);

    /// <summary>Turns each close read from the firehose into a stored bar, keyed by the instrument's symbol.</summary>
    private readonly struct Closes(CandleStoreWriter writer, InstrumentRegistry instruments) : IFirehoseReader
    {
        public void OnTick(in Tick tick)
        {
        }

        public void OnCandleClosed(in CandleEvent candle) =>
            writer.Enqueue(new StoredCandle(instruments.Get(candle.Instrument).Symbol, candle.Interval, candle.Candle));

        // Revised and backfilled bars come on the same firehose as the closes they replace, after them: stored in that order,
        // the venue's bar always ends up over the live one.
        public void OnCandleRevised(in CandleRevision revision) =>
            writer.Enqueue(new StoredCandle(instruments.Get(revision.Instrument).Symbol, revision.Interval, revision.New));
    }
}
