using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MarketFeed.Emulators.Tests.Venues.Kraken.Emulator;

/// <summary>A bare ClientWebSocket on the Kraken emulator: text frames in and out, parsed as JSON.</summary>
internal sealed class KrakenTestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1 << 20];

    public WebSocketState State => _socket.State;

    public static async Task<KrakenTestSocket> ConnectAsync(Uri streamUrl)
    {
        var socket = new KrakenTestSocket();
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

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        string text = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("the server closed the socket");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The next message matching <paramref name="match"/>, skipping others.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match)
    {
        while (true)
        {
            JsonElement message = await ReceiveJsonAsync();
            if (match(message))
            {
                return message;
            }
        }
    }

    public static bool IsChannel(JsonElement message, string channel) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("channel", out JsonElement c) && c.GetString() == channel;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }
}
