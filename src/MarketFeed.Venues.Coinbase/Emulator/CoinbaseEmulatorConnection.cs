using System.Net.WebSockets;
using System.Text;
using MarketFeed.Emulators.Sockets;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// One client socket: its subscriptions (channel → products; <c>heartbeats</c> with none), its <c>sequence_num</c>
/// counter (every message it is sent takes the next one), the incoming-message budget, and when it opened.
/// </summary>
internal sealed class CoinbaseEmulatorConnection(WebSocket socket, DateTime openedUtc, Action sent) : EmulatorSocket(socket, sent)
{
    private readonly Action _counted = sent;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _channels = new(StringComparer.Ordinal);
    private readonly Queue<DateTime> _incoming = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Channel, string Product)> _snapshotsDue = new();
    private HashSet<(string Channel, string Product)> _wanted = [];
    private long _nextSequence;
    private long _gapsTaken;
    private int _closing;

    public DateTime OpenedUtc { get; } = openedUtc;

    public bool Closing => Volatile.Read(ref _closing) != 0;

    /// <summary>Subscribed to anything yet (Coinbase closes a connection that is not within 5 s).</summary>
    public bool Subscribed { get; private set; }

    public bool Heartbeats { get; private set; }

    /// <summary>The last <c>sequence_num</c> sent (−1 before the first): fuzzed frames repeat it.</summary>
    public long LastSequence => Interlocked.Read(ref _nextSequence) - 1;

    /// <summary>(channel, product) pairs subscribed, replaced on each change so the pump reads it without a lock.</summary>
    public IReadOnlySet<(string Channel, string Product)> Wanted => Volatile.Read(ref _wanted);

    /// <summary>A new (channel, product) subscription: its snapshot goes out with the pump's next step, ahead of that step's messages.</summary>
    public void SnapshotDue(string channel, string product) => _snapshotsDue.Enqueue((channel, product));

    public List<(string Channel, string Product)> TakeSnapshotsDue()
    {
        var due = new List<(string, string)>();
        while (_snapshotsDue.TryDequeue(out (string, string) next))
        {
            due.Add(next);
        }

        return due;
    }

    /// <summary>Adds products to a channel; returns the ones that are new (each starts with a snapshot).</summary>
    public List<string> Subscribe(string channel, IEnumerable<string> products)
    {
        lock (_gate)
        {
            Subscribed = true;
            if (channel == CoinbaseChannels.Heartbeats)
            {
                Heartbeats = true;
                return [];
            }

            HashSet<string> held = _channels.TryGetValue(channel, out HashSet<string>? set) ? set : _channels[channel] = new(StringComparer.Ordinal);
            List<string> added = [.. products.Where(held.Add)];
            Publish();
            return added;
        }
    }

    /// <summary>Removes products from a channel, or the whole channel when <paramref name="products"/> is null.</summary>
    public void Unsubscribe(string channel, IEnumerable<string>? products)
    {
        lock (_gate)
        {
            if (channel == CoinbaseChannels.Heartbeats)
            {
                Heartbeats = false;
            }
            else if (products is null)
            {
                _channels.Remove(channel);
            }
            else if (_channels.TryGetValue(channel, out HashSet<string>? held))
            {
                held.ExceptWith(products);
            }

            Publish();
        }
    }

    /// <summary>Every channel with its products, as the <c>subscriptions</c> message lists them.</summary>
    public Dictionary<string, IReadOnlyCollection<string>> Channels()
    {
        lock (_gate)
        {
            Dictionary<string, IReadOnlyCollection<string>> channels = _channels.Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => (IReadOnlyCollection<string>)[.. c.Value], StringComparer.Ordinal);
            if (Heartbeats)
            {
                channels[CoinbaseChannels.Heartbeats] = [];
            }

            return channels;
        }
    }

    /// <summary>Counts an incoming message; true when it is more than <paramref name="perSecond"/> within the last second.</summary>
    public bool OverBudget(DateTime now, int perSecond)
    {
        lock (_gate)
        {
            while (_incoming.TryPeek(out DateTime oldest) && now - oldest >= TimeSpan.FromSeconds(1))
            {
                _incoming.Dequeue();
            }

            _incoming.Enqueue(now);
            return _incoming.Count > perSecond;
        }
    }

    /// <summary>
    /// Sends one message made for the next <c>sequence_num</c>; with a <c>seqgap</c> not yet taken (<paramref name="gaps"/>
    /// ahead of this connection's count) one number is skipped first, as if a message had been lost.
    /// </summary>
    public async Task<bool> SendNumberedAsync(Func<long, string> message, long gaps, CancellationToken cancellationToken)
    {
        await SendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State != WebSocketState.Open || Closing)
            {
                return false;
            }

            if (Interlocked.Read(ref _gapsTaken) < gaps)
            {
                Interlocked.Exchange(ref _gapsTaken, gaps);
                Interlocked.Increment(ref _nextSequence);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(message(Interlocked.Increment(ref _nextSequence) - 1));
            await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            _counted();
            return true;
        }
        finally
        {
            SendLock.Release();
        }
    }

    /// <summary>A seqgap that came while nobody was connected is not owed by connections opened after it.</summary>
    public void SkipGapsBefore(long gaps) => Interlocked.Exchange(ref _gapsTaken, gaps);

    public Task<bool> SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Closes once (later calls do nothing): the close frame, a second's grace, then the socket is aborted if still open.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await SendLock.WaitAsync(timeout.Token);
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(status, reason, timeout.Token);
                }
            }
            finally
            {
                SendLock.Release();
            }

            // Time for the client to read the close frame before the socket goes.
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (Socket.State != WebSocketState.Closed)
        {
            Socket.Abort();
        }
    }

    private void Publish() =>
        Volatile.Write(ref _wanted, [.. _channels.SelectMany(c => c.Value.Select(p => (c.Key, p)))]);
}
