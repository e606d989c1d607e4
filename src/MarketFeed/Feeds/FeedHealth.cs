using System.Text;

namespace MarketFeed.Feeds;

/// <summary>
/// Live health of one feed: state, connections, reconnects, last error, message rate and what was wrong with the
/// venue's input (malformed or oversized frames, unknown instruments, handler failures). Written by the feed's own
/// tasks, read by status and metrics; every field is individually atomic and a reader may see a slightly old mix.
/// </summary>
public sealed class FeedHealth(string feed, TimeProvider time)
{
    /// <summary>Longest error text kept: venue text is untrusted and reaches the API and the dashboard.</summary>
    public const int MaxErrorLength = 300;

    private readonly Lock _stateGate = new();
    private FeedState _state = FeedState.Starting;
    private string? _lastError;
    private int _connections;
    private long _reconnects;
    private long _messages;
    private long _malformedFrames;
    private long _oversizedFrames;
    private long _unknownInstruments;
    private long _handlerErrors;
    private long _pollFailures;
    private long _handovers;
    private long _bookSnapshots;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Model.InstrumentId, string> _instrumentErrors = new();
    private long _rateSampleMessages;
    private long _rateSampleTimestamp = time.GetTimestamp();
    private double _messagesPerSecond;

    public string Feed { get; } = feed;

    /// <summary>
    /// Null for a real venue; for a simulated one, how it runs ("24/7": around the clock whatever the exchange's hours,
    /// "session hours": only while each exchange is open). Shown in status, on the dashboard and by <c>watch</c>.
    /// </summary>
    public string? Simulated { get; init; }

    public FeedState State
    {
        get
        {
            lock (_stateGate)
            {
                return _state;
            }
        }
    }

    /// <summary>The last problem, made safe to show: control characters replaced, at most <see cref="MaxErrorLength"/> characters.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public int Connections => Volatile.Read(ref _connections);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Frames that could not be read (truncated, unknown layout, unparseable text): counted and skipped.</summary>
    public long MalformedFrames => Interlocked.Read(ref _malformedFrames);

    /// <summary>Frames larger than the session's limit: drained without being kept, counted and skipped.</summary>
    public long OversizedFrames => Interlocked.Read(ref _oversizedFrames);

    /// <summary>Updates for instruments the venue's instrument master does not know: never turned into ticks.</summary>
    public long UnknownInstruments => Interlocked.Read(ref _unknownInstruments);

    /// <summary>Exceptions thrown while decoding or handling one frame: contained to that frame, counted.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>REST polling rounds that failed while the stream was down.</summary>
    public long PollFailures => Interlocked.Read(ref _pollFailures);

    /// <summary>Connections replaced make-before-break (the venue announced a shutdown, or the connection reached its age limit).</summary>
    public long Handovers => Interlocked.Read(ref _handovers);

    /// <summary>Book snapshots fetched for books that were new or had to resync.</summary>
    public long BookSnapshots => Interlocked.Read(ref _bookSnapshots);

    public event Action<FeedStateChange>? StateChanged;

    public void SetState(FeedState state, string? reason = null)
    {
        FeedState from;
        string? safeReason = Sanitize(reason);
        lock (_stateGate)
        {
            from = _state;
            if (from == state)
            {
                return;
            }

            _state = state;
        }

        if (state is FeedState.AuthFailed or FeedState.Disconnected or FeedState.Reconnecting && safeReason is not null)
        {
            Volatile.Write(ref _lastError, safeReason);
        }
        else if (state == FeedState.Connected)
        {
            // Recovered: an error that no longer holds is not shown as the feed's last error.
            Volatile.Write(ref _lastError, null);
        }

        StateChanged?.Invoke(new FeedStateChange(Feed, from, state, safeReason, time.GetUtcNow()));
    }

    public void SetConnections(int connections) => Volatile.Write(ref _connections, connections);

    public void CountReconnect() => Interlocked.Increment(ref _reconnects);

    public void CountMessages(long count = 1) => Interlocked.Add(ref _messages, count);

    public void CountMalformedFrame() => Interlocked.Increment(ref _malformedFrames);

    public void CountOversizedFrame() => Interlocked.Increment(ref _oversizedFrames);

    public void CountUnknownInstrument() => Interlocked.Increment(ref _unknownInstruments);

    public void CountHandlerError() => Interlocked.Increment(ref _handlerErrors);

    public void CountPollFailure() => Interlocked.Increment(ref _pollFailures);

    public void CountHandover() => Interlocked.Increment(ref _handovers);

    public void CountBookSnapshot() => Interlocked.Increment(ref _bookSnapshots);

    public void RecordError(string message) => Volatile.Write(ref _lastError, Sanitize(message));

    /// <summary>
    /// The venue refused one instrument (a request error naming its symbol): the instrument shows <c>error</c> with this
    /// text in status until <see cref="ClearInstrumentError"/>; the feed and its other instruments are not affected.
    /// </summary>
    public void RecordInstrumentError(Model.InstrumentId instrument, string message) => _instrumentErrors[instrument] = Sanitize(message)!;

    /// <summary>The venue accepted the instrument again.</summary>
    public void ClearInstrumentError(Model.InstrumentId instrument) => _instrumentErrors.TryRemove(instrument, out _);

    /// <summary>The venue's last refusal of <paramref name="instrument"/>, or null.</summary>
    public string? InstrumentError(Model.InstrumentId instrument) => _instrumentErrors.IsEmpty ? null : _instrumentErrors.GetValueOrDefault(instrument);

    /// <summary>Messages per second over the last sampling window (at least one second; re-sampled on read).</summary>
    public double MessagesPerSecond()
    {
        long now = time.GetTimestamp();
        lock (_stateGate)
        {
            double elapsed = time.GetElapsedTime(_rateSampleTimestamp, now).TotalSeconds;
            if (elapsed >= 1.0)
            {
                long messages = Messages;
                _messagesPerSecond = (messages - _rateSampleMessages) / elapsed;
                _rateSampleMessages = messages;
                _rateSampleTimestamp = now;
            }

            return _messagesPerSecond;
        }
    }

    /// <summary>Venue text made safe for logs, the API and the dashboard: one line, printable, bounded.</summary>
    internal static string? Sanitize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var safe = new StringBuilder(Math.Min(text.Length, MaxErrorLength + 1));
        bool space = false;
        foreach (char c in text)
        {
            if (safe.Length >= MaxErrorLength)
            {
                safe.Append('…');
                break;
            }

            if (char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c is '\uFFFD' or '\u2028' or '\u2029')
            {
                // Runs of whitespace and control characters become one space; lone surrogates are dropped too.
                space = safe.Length > 0;
                continue;
            }

            if (space)
            {
                safe.Append(' ');
                space = false;
            }

            safe.Append(c);
        }

        return safe.ToString();
    }
}
