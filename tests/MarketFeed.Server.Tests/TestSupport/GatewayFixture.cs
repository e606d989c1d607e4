using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Server.Tests.TestSupport;

/// <summary>A real gateway on 127.0.0.1 (random port) over a fast simulator, and helpers to talk to it.</summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private GatewayFixture(Gateway gateway, SimulatorFeed feed)
    {
        Gateway = gateway;
        Feed = feed;
        Http = new HttpClient { BaseAddress = gateway.Address };
    }

    public Gateway Gateway { get; }

    public SimulatorFeed Feed { get; }

    public HttpClient Http { get; }

    public static async Task<GatewayFixture> StartAsync(ServerOptions? options = null, double ticksPerInstrumentPerSecond = 50, HubOptions? hub = null, params string[] symbols) =>
        await StartAsync(new SimulatorOptions { TicksPerInstrumentPerSecond = ticksPerInstrumentPerSecond }, options, hub, symbols);

    public static async Task<GatewayFixture> StartAsync(SimulatorOptions simulator, ServerOptions? options, HubOptions? hub, string[] symbols)
    {
        var feed = new SimulatorFeed(simulator, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], hub ?? new HubOptions { Partitions = 2 });
        options ??= new ServerOptions();
        options.Urls = options.Urls == new ServerOptions().Urls ? "http://127.0.0.1:0" : options.Urls;
        Gateway gateway = await Gateway.StartAsync(host, options);
        if (symbols.Length > 0)
        {
            gateway.Subscriptions.Add(symbols, FeedMode.Quote);
        }

        return new GatewayFixture(gateway, feed);
    }

    public Uri WebSocketUri(string path) => new UriBuilder(new Uri(Gateway.Address, path)) { Scheme = "ws" }.Uri;

    public async Task<ClientWebSocket> ConnectAsync(string path = "/ws")
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri(path), CancellationToken.None);
        return socket;
    }

    /// <summary>
    /// A WebSocket whose TCP receive buffer is a few kilobytes, for a client that stops reading: the gateway's sends
    /// block after kilobytes rather than after the megabytes a loopback socket buffers by default.
    /// </summary>
    public async Task<ClientWebSocket> ConnectWithSmallBufferAsync(string path = "/ws")
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
            },
        };
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri(path), new HttpMessageInvoker(handler), CancellationToken.None);
        return socket;
    }

    public static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next text message as JSON, or null when the server closed the socket.</summary>
    public static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket, int timeoutMs = 10_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(text.ToString()).RootElement.Clone();
    }

    /// <summary>Reads messages until one matches, returning everything read on the way (the match last).</summary>
    public static async Task<List<JsonElement>> ReceiveUntilAsync(ClientWebSocket socket, Func<JsonElement, bool> match, int timeoutMs = 10_000)
    {
        var seen = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            JsonElement? message = await ReceiveAsync(socket, (int)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds));
            if (message is not { } m)
            {
                throw new InvalidOperationException($"socket closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
            }

            seen.Add(m);
            if (match(m))
            {
                return seen;
            }
        }

        throw new TimeoutException("no matching message");
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Gateway.Host.DisposeAsync();
    }
}
