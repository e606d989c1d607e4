using System.Collections.Concurrent;
using System.Net.WebSockets;
using MarketFeed.Emulators.Sockets;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>One client socket of the emulator: its tokens and modes, and a send lock (the generator and replies share the socket).</summary>
internal sealed class KiteEmulatorConnection(WebSocket socket, Action sent) : EmulatorSocket(socket, sent)
{
    public const int MaxTokens = 3000;

    public ConcurrentDictionary<uint, FeedMode> Modes { get; } = new();
}
