using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Journal;

/// <summary>
/// Records into a journal without ever making the caller wait: <see cref="TryRecord"/> copies the bytes into a
/// bounded queue (a full queue drops the record and counts it) and one writer task appends them to the raw and
/// normalized logs, hands them to the OS at least every <see cref="JournalOptions.OsFlushInterval"/> and to the disk
/// at least every <see cref="JournalOptions.DiskFlushInterval"/>. A write failure (a full disk) stops recording with
/// a clear state; what was written stays readable.
/// </summary>
public sealed partial class JournalRecorder : IAsyncDisposable
{
    private readonly JournalOptions _options;
    private readonly string _source;
    private readonly uint _decoderVersion;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly JournalLogWriter?[] _logs = new JournalLogWriter?[3];
    private readonly Task _writer;
    private long _recorded;
    private long _dropped;
    private long _bytes;
    private long _durableThroughTicks;
    private volatile string? _error;
    private volatile string? _failure;
    private volatile JournalRecorderState _state = JournalRecorderState.Recording;

    private JournalRecorder(JournalOptions options, string source, uint decoderVersion, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _options = options;
        _source = source;
        _decoderVersion = decoderVersion;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Directory.CreateDirectory(options.Directory);
        LogStarted(logger, source, options.Directory);
        _writer = Task.Run(WriteAsync);
    }

    public static JournalRecorder Start(JournalOptions options, string source, uint decoderVersion, TimeProvider? time = null, ILogger? logger = null) =>
        new(options, source, decoderVersion, time ?? TimeProvider.System, logger ?? NullLogger.Instance);

    public JournalRecorderStatus Status => new(
        _state,
        Interlocked.Read(ref _recorded),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _bytes),
        Interlocked.Read(ref _durableThroughTicks) is > 0 and var ticks ? new DateTime(ticks, DateTimeKind.Utc) : null,
        _error,
        _failure);

    /// <summary>Queues one record; false (and counted) when the queue is full or recording has stopped. Never blocks.</summary>
    public bool TryRecord(JournalLogKind log, JournalRecordKind kind, ushort flags, uint stream, DateTime recordedAt, ReadOnlySpan<byte> payload)
    {
        if (_state != JournalRecorderState.Recording || payload.Length > JournalFormat.MaxPayloadBytes)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(copy);
        if (_queue.Writer.TryWrite(new Pending(log, kind, flags, stream, recordedAt, copy, payload.Length)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(copy);
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Writes what is queued, makes it durable and seals the segments.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_state == JournalRecorderState.Recording)
        {
            _state = JournalRecorderState.Stopped;
        }
    }

    private async Task WriteAsync()
    {
        ChannelReader<Pending> queue = _queue.Reader;
        long lastDiskFlush = _time.GetTimestamp();
        DateTime? unsynced = null;
        try
        {
            while (true)
            {
                Task<bool> more = queue.WaitToReadAsync().AsTask();
                if (unsynced is not null)
                {
                    TimeSpan due = _options.DiskFlushInterval - _time.GetElapsedTime(lastDiskFlush);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.WhenAny(more, Task.Delay(due, _time)).ConfigureAwait(false);
                    }
                }
                else
                {
                    await more.ConfigureAwait(false);
                }

                if (more.IsCompletedSuccessfully && !more.Result)
                {
                    break;
                }

                long batchStarted = _time.GetTimestamp();
                while (queue.TryRead(out Pending record))
                {
                    unsynced = Append(record);
                    if (_time.GetElapsedTime(batchStarted) >= _options.OsFlushInterval)
                    {
                        ForEachLog(l => l.FlushToOs());
                        batchStarted = _time.GetTimestamp();
                    }
                }

                ForEachLog(l => l.FlushToOs());
                if (unsynced is { } through && _time.GetElapsedTime(lastDiskFlush) >= _options.DiskFlushInterval)
                {
                    ForEachLog(l => l.FlushToDisk());
                    Interlocked.Exchange(ref _durableThroughTicks, through.Ticks);
                    lastDiskFlush = _time.GetTimestamp();
                    unsynced = null;
                    ForEachLog(l => l.ApplyRetention(_time.GetUtcNow().UtcDateTime));
                }
            }

            ForEachLog(l => l.FlushToDisk());
            if (unsynced is { } last)
            {
                Interlocked.Exchange(ref _durableThroughTicks, last.Ticks);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JournalException)
        {
            _failure = FailureOf(e);
            _error = $"recording into {_options.Directory} stopped{(_failure == "disk_full" ? " (the disk is full)" : "")}: {e.Message}";
            _state = JournalRecorderState.Failed;
            LogFailed(_logger, _error);
            // A TryRecord that saw Recording just before may still be queueing: completing the queue makes its write
            // fail (and count as dropped), so nothing stays queued uncounted after this drain.
            _queue.Writer.TryComplete();
            while (queue.TryRead(out Pending dropped))
            {
                ArrayPool<byte>.Shared.Return(dropped.Bytes);
                Interlocked.Increment(ref _dropped);
            }
        }
        finally
        {
            foreach (JournalLogWriter? log in _logs)
            {
                try
                {
                    log?.Dispose();
                }
                catch (IOException)
                {
                    // Sealing failed (the disk is full): the segment stays open and is recovered on the next run.
                }
            }
        }
    }

    private DateTime Append(Pending record)
    {
        try
        {
            JournalLogWriter log = _logs[(int)record.Log] ??= JournalLogWriter.Open(_options, record.Log, _source, _decoderVersion);
            log.Append(record.Kind, record.Flags, record.Stream, record.RecordedAt, record.Bytes.AsSpan(0, record.Length));
            Interlocked.Increment(ref _recorded);
            Interlocked.Add(ref _bytes, JournalFormat.RecordSize(record.Length));
            return record.RecordedAt;
        }
        catch
        {
            // The record being written when writing failed is lost with the rest.
            Interlocked.Increment(ref _dropped);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record.Bytes);
        }
    }

    private void ForEachLog(Action<JournalLogWriter> action)
    {
        foreach (JournalLogWriter? log in _logs)
        {
            if (log is not null)
            {
                action(log);
            }
        }
    }

    /// <summary>ENOSPC on Unix; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.</summary>
    private static string FailureOf(Exception e) => e switch
    {
        IOException io when IsDiskFull(io) => "disk_full",
        UnauthorizedAccessException => "access_denied",
        JournalException => "bad_journal",
        _ => "io_error",
    };

    private static bool IsDiskFull(IOException e) => OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 0x70 or 0x27 : e.HResult == 28;

    [LoggerMessage(Level = LogLevel.Information, Message = "journal: recording {Source} into {Directory}")]
    private static partial void LogStarted(ILogger logger, string source, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "journal: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);

    private readonly record struct Pending(JournalLogKind Log, JournalRecordKind Kind, ushort Flags, uint Stream, DateTime RecordedAt, byte[] Bytes, int Length);
}
