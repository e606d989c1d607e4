using System.Net.WebSockets;
using System.Text;
using MarketFeed.Emulators.Sockets;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// One client socket: its subscriptions (trade and ticker symbols, books with what each last sent), the incoming
/// message budget, and <see cref="Sequence"/>, held across working out a book message and sending it, so a snapshot
/// sent on subscribe and the pump's updates reach the client in the order they were worked out.
/// </summary>
internal sealed class KrakenEmulatorConnection(WebSocket socket, long id, Action sent) : EmulatorSocket(socket, sent)
{
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private readonly HashSet<string> _trades = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tickers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KrakenBookView> _books = new(StringComparer.Ordinal);
    private readonly Queue<DateTime> _incoming = new();
    private int _closing;

    public long Id { get; } = id;

    public SemaphoreSlim Sequence { get; } = new(1, 1);

    public bool Closing => Volatile.Read(ref _closing) != 0;

    public bool HasSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return _trades.Count + _tickers.Count + _books.Count > 0;
            }
        }
    }

    /// <summary>Every pair this connection has any channel of.</summary>
    public IReadOnlyList<string> Symbols
    {
        get
        {
            lock (_gate)
            {
                return [.. _trades.Concat(_tickers).Concat(_books.Keys).Distinct(StringComparer.Ordinal)];
            }
        }
    }

    public bool Has(string channel, string symbol)
    {
        lock (_gate)
        {
            return channel switch
            {
                KrakenRequests.Trade => _trades.Contains(symbol),
                KrakenRequests.Ticker => _tickers.Contains(symbol),
                _ => _books.ContainsKey(symbol),
            };
        }
    }

    /// <summary>False when already subscribed.</summary>
    public bool Add(string channel, string symbol, int depth)
    {
        lock (_gate)
        {
            return channel switch
            {
                KrakenRequests.Trade => _trades.Add(symbol),
                KrakenRequests.Ticker => _tickers.Add(symbol),
                _ => _books.TryAdd(symbol, new KrakenBookView(depth)),
            };
        }
    }

    /// <summary>False when not subscribed.</summary>
    public bool Remove(string channel, string symbol)
    {
        lock (_gate)
        {
            return channel switch
            {
                KrakenRequests.Trade => _trades.Remove(symbol),
                KrakenRequests.Ticker => _tickers.Remove(symbol),
                _ => _books.Remove(symbol),
            };
        }
    }

    public KrakenBookView? Book(string symbol)
    {
        lock (_gate)
        {
            return _books.GetValueOrDefault(symbol);
        }
    }

    public int DeepestBook()
    {
        lock (_gate)
        {
            return _books.Values.Select(b => b.Depth).DefaultIfEmpty(0).Max();
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
        Closing ? Task.FromResult(false) : SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Starts the closing handshake once; the socket is aborted if the client does not answer soon.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(s_closeGrace);
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
