using System.Diagnostics;
using System.Net.WebSockets;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketFeed.LoadTest;

/// <summary>
/// Kite end to end: a server streams pre-encoded Kite frames (the same bytes every run) over loopback WebSocket as
/// fast as it can. Baseline: a raw client that only reads the bytes and counts packets. Full path: the Kite adapter
/// (shared feed session, decoder) → hub → one subscriber draining its queue.
/// </summary>
internal static class KiteEndToEnd
{
    private const int Instruments = 20;
    private const int PacketsPerFrame = 100;
    private const int DistinctFrames = 1_000;

    public static async Task RunAsync(TimeSpan duration)
    {
        (byte[][] frames, string csv) = BuildFrames();
        await using WebApplication server = await StartServerAsync(frames);
        string url = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("http", "ws", StringComparison.Ordinal);

        double baseline = await RawClientAsync(new Uri(url + "/?api_key=k&access_token=t"), duration);
        double adapter = await AdapterAsync(url, csv, duration);
        Console.WriteLine($"## Kite end to end over loopback WebSocket ({Instruments} instruments, {PacketsPerFrame} full packets per frame, {duration.TotalSeconds:0} s each)");
        Console.WriteLine();
        Console.WriteLine("| path | packets (ticks) per second | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| raw loopback WebSocket, bytes read and packets counted (baseline) | {baseline:N0} | 1.00 |");
        Console.WriteLine($"| Kite adapter (session + decoder) → hub → subscriber | {adapter:N0} | {adapter / baseline:F2} |");
    }

    private static (byte[][] Frames, string Csv) BuildFrames()
    {
        var frames = new byte[DistinctFrames][];
        var time = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
        for (int f = 0; f < DistinctFrames; f++)
        {
            var packets = new List<byte[]>(PacketsPerFrame);
            for (int p = 0; p < PacketsPerFrame; p++)
            {
                int instrument = p % Instruments;
                // A consistent quote (last price inside the day's range), or the hub would rightly reject it.
                var tick = new Tick(default)
                {
                    Ltp = Price.FromScaled(100_000 + (f * 5) + p, 2), Ltq = Quantity.FromUnits(1 + p), Atp = Price.FromScaled(100_000, 2),
                    Volume = Quantity.FromUnits(1_000 + (f * PacketsPerFrame) + p), Open = Price.FromScaled(99_000, 2), High = Price.FromScaled(110_000, 2),
                    Low = Price.FromScaled(98_000, 2), Close = Price.FromScaled(99_500, 2), Oi = Quantity.Zero, ExchangeTime = time,
                };
                for (int level = 0; level < MarketDepth.Levels; level++)
                {
                    tick.Depth.SetBid(level, new DepthLevel(Price.FromScaled(99_990 - (level * 5), 2), Quantity.FromUnits(100), 2));
                    tick.Depth.SetAsk(level, new DepthLevel(Price.FromScaled(100_010 + (level * 5), 2), Quantity.FromUnits(100), 2));
                }

                packets.Add(KiteEncoder.Packet(Token(instrument), in tick, FeedMode.Full));
            }

            frames[f] = KiteEncoder.Frame(packets);
        }

        var csv = new System.Text.StringBuilder(KiteInstrumentCsv.Header).Append('\n');
        for (int i = 0; i < Instruments; i++)
        {
            csv.Append($"{Token(i)},{2000 + i},EQ{i},EQ{i},0,,0,0.05,1,EQ,NSE,NSE\n");
        }

        return (frames, csv.ToString());
    }

    private static uint Token(int instrument) => (uint)(((2000 + instrument) << 8) | 1);

    private static async Task<WebApplication> StartServerAsync(byte[][] frames)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.UseWebSockets();
        app.Map("/", async context =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                for (long i = 0; socket.State == WebSocketState.Open; i++)
                {
                    await socket.SendAsync(frames[i % frames.Length], WebSocketMessageType.Binary, true, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<double> RawClientAsync(Uri uri, TimeSpan duration)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        byte[] buffer = new byte[1 << 20];
        long packets = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            packets += (buffer[0] << 8) | buffer[1];
        }

        double rate = packets / clock.Elapsed.TotalSeconds;
        socket.Abort();
        return rate;
    }

    private static async Task<double> AdapterAsync(string url, string csv, TimeSpan duration)
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, csv);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kite:ApiKey"] = "k",
            ["Kite:AccessToken"] = "t",
            ["Kite:StreamUrl"] = url + "/",
            ["Kite:InstrumentsFile"] = file,
        }).Build();
        var feed = new KiteFeed(configuration, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 });
        string[] symbols = [.. host.Instruments.All().Select(i => i.Symbol)];
        await using MarketSubscription subscription = host.Subscribe(symbols, new SubscriberOptions { TickCapacity = 1 << 20 });
        while (feed.Health.State != FeedState.Connected)
        {
            await Task.Delay(10);
        }

        long received = 0;
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        try
        {
            while (await subscription.Subscriber.WaitToReadTicksAsync(stop.Token))
            {
                while (subscription.Subscriber.TryReadTick(out _))
                {
                    received++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return received / clock.Elapsed.TotalSeconds;
    }
}
