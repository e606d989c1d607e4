using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MarketFeed.Emulators.Tests.Venues.Coinbase.Emulator;

/// <summary>A bare ClientWebSocket on the Coinbase emulator: text frames in and out, parsed as JSON.</summary>
internal sealed class CoinbaseTestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1 << 22];

    private CoinbaseTestSocket()
    {
    }

    public WebSocketState State => _socket.State;

    public static async Task<CoinbaseTestSocket> ConnectAsync(Uri streamUrl)
    {
        var socket = new CoinbaseTestSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket._socket.ConnectAsync(streamUrl, timeout.Token);
        return socket;
    }

    public Task SendAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next text frame, or null when the server closed the socket.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        int length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(_buffer, 0, length);
            }
        }
    }

    /// <summary>The next message as JSON (fails on a close).</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null) =>
        JsonDocument.Parse(await ReceiveAsync(timeout) ?? throw new InvalidOperationException("the emulator closed the socket")).RootElement.Clone();

    /// <summary>Messages until one satisfies <paramref name="wanted"/>, all of them returned.</summary>
    public async Task<List<JsonElement>> UntilAsync(Func<JsonElement, bool> wanted, int max = 10_000)
    {
        var seen = new List<JsonElement>();
        for (int i = 0; i < max; i++)
        {
            JsonElement message = await NextAsync();
            seen.Add(message);
            if (wanted(message))
            {
                return seen;
            }
        }

        throw new InvalidOperationException($"no wanted message in {max}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            _socket.Abort();
        }

        _socket.Dispose();
        await Task.CompletedTask;
    }
}
