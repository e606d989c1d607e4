namespace MarketFeed.Feeds;

/// <summary>
/// Live health of one feed: state, connections, reconnects, last error and message rate. Written by the feed's own
/// tasks, read by status and metrics; every field is individually atomic and a reader may see a slightly old mix.
/// </summary>
public sealed class FeedHealth(string feed, TimeProvider time)
{
    private readonly Lock _stateGate = new();
    private FeedState _state = FeedState.Starting;
    private string? _lastError;
    private int _connections;
    private long _reconnects;
    private long _messages;
    private long _rateSampleMessages;
    private long _rateSampleTimestamp = time.GetTimestamp();
    private double _messagesPerSecond;

    public string Feed { get; } = feed;

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

    public string? LastError => Volatile.Read(ref _lastError);

    public int Connections => Volatile.Read(ref _connections);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long Messages => Interlocked.Read(ref _messages);

    public event Action<FeedStateChange>? StateChanged;

    public void SetState(FeedState state, string? reason = null)
    {
        FeedState from;
        lock (_stateGate)
        {
            from = _state;
            if (from == state)
            {
                return;
            }

            _state = state;
        }

        if (state is FeedState.AuthFailed or FeedState.Disconnected or FeedState.Reconnecting && reason is not null)
        {
            Volatile.Write(ref _lastError, reason);
        }

        StateChanged?.Invoke(new FeedStateChange(Feed, from, state, reason, time.GetUtcNow()));
    }

    public void SetConnections(int connections) => Volatile.Write(ref _connections, connections);

    public void CountReconnect() => Interlocked.Increment(ref _reconnects);

    public void CountMessages(long count = 1) => Interlocked.Add(ref _messages, count);

    public void RecordError(string message) => Volatile.Write(ref _lastError, message);

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
}
