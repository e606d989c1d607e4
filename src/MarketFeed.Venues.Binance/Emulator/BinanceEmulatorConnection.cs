using System.Net.WebSockets;
using System.Text;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// One client socket: its streams (in subscription order, at most 1024), whether it wants the combined form and µs
/// times, the incoming-message budget, and a send lock (the pump and the replies share the socket).
/// </summary>
internal sealed class BinanceEmulatorConnection(WebSocket socket, bool combined, bool microseconds, DateTime openedUtc, Action sent)
{
    public const int MaxStreams = 1024;
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private readonly List<string> _streams = [];
    private readonly Queue<DateTime> _incoming = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private volatile bool _combined = combined;
    private int _closing;

    public WebSocket Socket { get; } = socket;

    /// <summary>Events wrapped as <c>{"stream":…,"data":…}</c>: true on <c>/stream</c>, false on <c>/ws</c>, switchable with SET_PROPERTY.</summary>
    public bool Combined { get => _combined; set => _combined = value; }

    /// <summary>Opened with <c>timeUnit=MICROSECOND</c>: event times in µs.</summary>
    public bool Microseconds { get; } = microseconds;

    public DateTime OpenedUtc { get; } = openedUtc;

    /// <summary>When a <c>serverShutdown</c> notice said it would be closed.</summary>
    public DateTime? CloseAtUtc { get; set; }

    public bool Closing => Volatile.Read(ref _closing) != 0;

    /// <summary>The subscribed streams as a set replaced on each change, so the pump reads it without a lock.</summary>
    public IReadOnlySet<string> Subscribed => Volatile.Read(ref _subscribed);

    public IReadOnlyList<string> Streams
    {
        get
        {
            lock (_gate)
            {
                return [.. _streams];
            }
        }
    }

    /// <summary>Adds the streams not yet subscribed; false (nothing added) when that would pass <see cref="MaxStreams"/>.</summary>
    public bool TrySubscribe(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            string[] added = [.. streams.Distinct(StringComparer.Ordinal).Where(s => !_subscribed.Contains(s))];
            if (_streams.Count + added.Length > MaxStreams)
            {
                return false;
            }

            _streams.AddRange(added);
            Volatile.Write(ref _subscribed, new HashSet<string>(_streams, StringComparer.Ordinal));
            return true;
        }
    }

    public void Unsubscribe(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            var removed = new HashSet<string>(streams, StringComparer.Ordinal);
            _streams.RemoveAll(removed.Contains);
            Volatile.Write(ref _subscribed, new HashSet<string>(_streams, StringComparer.Ordinal));
        }
    }

    /// <summary>Counts an incoming message; true when it is more than <paramref name="perSecond"/> within the last second.</summary>
    public bool OverBudget(DateTime now, int perSecond)
    {
        while (_incoming.TryPeek(out DateTime oldest) && now - oldest >= TimeSpan.FromSeconds(1))
        {
            _incoming.Dequeue();
        }

        _incoming.Enqueue(now);
        return _incoming.Count > perSecond;
    }

    public Task<bool> SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends one frame; false when the socket was no longer open (nothing sent).</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State != WebSocketState.Open || Closing)
            {
                return false;
            }

            await Socket.SendAsync(payload, type, endOfMessage: true, cancellationToken);
            sent();
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>One text frame of <paramref name="bytes"/> bytes — a JSON object padded with spaces — written in 64 KiB pieces.</summary>
    public async Task SendLargeTextAsync(long bytes, CancellationToken cancellationToken)
    {
        byte[] head = "{\"e\":\"oversized\",\"pad\":\""u8.ToArray();
        byte[] piece = new byte[64 * 1024];
        piece.AsSpan().Fill((byte)'x');
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            long left = Math.Max(bytes, head.Length + 2) - head.Length - 2;
            await Socket.SendAsync(head, WebSocketMessageType.Text, endOfMessage: false, cancellationToken);
            for (; left > 0 && Socket.State == WebSocketState.Open; left -= piece.Length)
            {
                await Socket.SendAsync(piece.AsMemory(0, (int)Math.Min(piece.Length, left)), WebSocketMessageType.Text, endOfMessage: false, cancellationToken);
            }

            await Socket.SendAsync("\"}"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            sent();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake once (later calls do nothing); the socket is aborted if the client does not answer soon.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(s_closeGrace);
        try
        {
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(status, reason, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            await Task.Delay(s_closeGrace, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (Socket.State != WebSocketState.Closed)
        {
            Socket.Abort();
        }
    }
}
