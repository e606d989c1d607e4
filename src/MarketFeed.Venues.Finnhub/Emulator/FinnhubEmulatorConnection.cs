using System.Net.WebSockets;
using System.Text;
using MarketFeed.Emulators.Sockets;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>One client socket: its token, its symbols (in subscription order) and when it was last pinged.</summary>
internal sealed class FinnhubEmulatorConnection(WebSocket socket, string token, DateTime openedUtc, Action sent) : EmulatorSocket(socket, sent)
{
    private readonly Lock _gate = new();
    private readonly List<string> _symbols = [];
    private HashSet<string> _subscribed = new(StringComparer.Ordinal);

    public string Token { get; } = token;

    public DateTime LastPingUtc { get; set; } = openedUtc;

    /// <summary>The subscribed symbols as a set replaced on each change, so the pump reads it without a lock.</summary>
    public IReadOnlySet<string> Subscribed => Volatile.Read(ref _subscribed);

    public IReadOnlyList<string> Symbols
    {
        get
        {
            lock (_gate)
            {
                return [.. _symbols];
            }
        }
    }

    /// <summary>Subscribes <paramref name="symbol"/> unless it already is (a no-op); false, nothing changed, when that would pass <paramref name="cap"/>.</summary>
    public bool TrySubscribe(string symbol, int cap)
    {
        lock (_gate)
        {
            if (_subscribed.Contains(symbol))
            {
                return true;
            }

            if (_symbols.Count >= cap)
            {
                return false;
            }

            _symbols.Add(symbol);
            Volatile.Write(ref _subscribed, new HashSet<string>(_symbols, StringComparer.Ordinal));
            return true;
        }
    }

    public void Unsubscribe(string symbol)
    {
        lock (_gate)
        {
            if (_symbols.Remove(symbol))
            {
                Volatile.Write(ref _subscribed, new HashSet<string>(_symbols, StringComparer.Ordinal));
            }
        }
    }

    public Task<bool> SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);
}
