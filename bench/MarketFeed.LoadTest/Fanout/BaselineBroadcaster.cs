using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MarketFeed.LoadTest.Fanout;

/// <summary>
/// What this machine can do at all: the same simulator and hub as the gateway, one hub subscriber for every
/// instrument, each tick encoded once (the gateway's exact JSON), handed to every client that holds the instrument
/// with the same rule (latest per instrument per client), and written by one loop per client as raw WebSocket frames,
/// one socket write per pass, on bare Kestrel with the gateway's send buffer. No limits, metrics, control messages,
/// candles or books: nothing but the fan-out.
/// </summary>
internal static class BaselineBroadcaster
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task ServeAsync(int port, double ticksPerSecond, bool batch)
    {
        var feed = new SimulatorFeed(new SimulatorOptions { TicksPerSecond = ticksPerSecond, StepInterval = TimeSpan.FromMilliseconds(5) }, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 });
        string[] symbols = [.. host.Instruments.All().Select(i => i.Symbol)];
        await using MarketSubscription all = host.Subscribe(symbols, new SubscriberOptions { TickPolicy = TickQueuePolicy.ConflateLatest });
        var clients = new ClientIndex();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.UseSockets(s => s.CreateBoundListenSocket = endpoint =>
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = new Server.ServerOptions().SocketSendBufferBytes };
            socket.Bind(endpoint);
            return socket;
        });
        await using WebApplication app = builder.Build();
        app.Map("/ws", context => ServeClientAsync(context, host, clients, batch));
        app.MapGet("/api/subscriptions", () => Results.Json(new { subscriptions = symbols.Select(s => new { symbol = s }) }));
        await app.StartAsync();

        var fanout = Task.Run(async () =>
        {
            var woken = new List<BaselineClient>();
            while (await all.Subscriber.WaitToReadTicksAsync())
            {
                while (all.Subscriber.TryReadTick(out Tick tick))
                {
                    byte[] json = Encode(in tick, host);
                    foreach (BaselineClient client in clients.For(tick.Instrument.Value))
                    {
                        if (client.Pending.Offer(tick.Instrument.Value, json))
                        {
                            woken.Add(client);
                        }
                    }
                }

                foreach (BaselineClient client in woken)
                {
                    client.Wake();
                }

                woken.Clear();
            }
        });

        Console.WriteLine("ready");
        await Task.WhenAny(fanout, Task.Delay(Timeout.Infinite));
    }

    private static byte[] Encode(in Tick tick, MarketFeedHost host)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonValues.WriterOptions))
        {
            TickJson.Write(writer, in tick, host.Instruments.Get(tick.Instrument));
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task ServeClientAsync(HttpContext context, MarketFeedHost host, ClientIndex clients, bool batch)
    {
        IHttpUpgradeFeature upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
        string key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
        Stream stream = await upgrade.UpgradeAsync();

        // The receive side only reads the one subscribe message; every send is a raw frame on the stream.
        using WebSocket reader = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        byte[] request = new byte[16 * 1024];
        ValueWebSocketReceiveResult first = await reader.ReceiveAsync(request.AsMemory(), context.RequestAborted);
        using JsonDocument subscribe = JsonDocument.Parse(request.AsMemory(0, first.Count));
        int[] instruments = [.. subscribe.RootElement.GetProperty("symbols").EnumerateArray().Select(s => host.Resolve(s.GetString()!).Id.Value)];

        var client = new BaselineClient(stream, batch);
        clients.Add(client, instruments);
        try
        {
            Task<ValueWebSocketReceiveResult> closed = reader.ReceiveAsync(request.AsMemory(), context.RequestAborted).AsTask();
            Task writing = client.RunAsync(context.RequestAborted);
            await Task.WhenAny(closed, writing);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            clients.Remove(client, instruments);
        }
    }
}
