using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Emulators.Sockets;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>One client socket of the emulator: its instrument keys and modes, keys awaiting their initial_feed, and a send lock.</summary>
internal sealed class UpstoxEmulatorConnection(WebSocket socket, Action sent) : EmulatorSocket(socket, sent)
{
    /// <summary>Instrument key → subscription mode (<c>ltpc</c>, <c>option_greeks</c>, <c>full</c>, <c>full_d30</c>).</summary>
    public ConcurrentDictionary<string, string> Modes { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys subscribed since the last step: they get an initial_feed snapshot first.</summary>
    public ConcurrentQueue<string> Fresh { get; } = new();

    public int Count(string mode) => Modes.Values.Count(m => m == mode);
}
