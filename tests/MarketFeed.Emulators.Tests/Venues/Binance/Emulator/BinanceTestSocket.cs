using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MarketFeed.Emulators.Tests.Venues.Binance.Emulator;

/// <summary>A bare ClientWebSocket on the Binance emulator: text frames in and out, parsed as JSON.</summary>
internal sealed class BinanceTestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1 << 20];

    private BinanceTestSocket()
    {
    }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<BinanceTestSocket> ConnectAsync(Uri streamUrl, string pathAndQuery)
    {
        var socket = new BinanceTestSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket._socket.ConnectAsync(new Uri(streamUrl, pathAndQuery), timeout.Token);
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

    /// <summary>Reads and forgets frames until the socket closes or fails.</summary>
    public async Task DrainAsync()
    {
        try
        {
            while (await ReceiveAsync(TimeSpan.FromMinutes(1)) is not null)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        string text = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("the server closed the socket");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The next frame that answers a request (it has an <c>id</c>), skipping events.</summary>
    public async Task<JsonElement> ReplyAsync()
    {
        while (true)
        {
            JsonElement message = await ReceiveJsonAsync();
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out _))
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
