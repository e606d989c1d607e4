using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Venues.Binance;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketFeed.LoadTest;

/// <summary>
/// Binance end to end: a server streams Binance combined-stream frames — trade, bookTicker and a 10+10-level
/// depthUpdate per symbol in turn, ids patched in place so every message is new and in line — over loopback
/// WebSocket as fast as it can, and serves the depth snapshots the book sync asks for. Baseline: a raw client that
/// only reads the frames and counts them. Full path: the Binance adapter (shared feed session, decoder) → hub (order
/// books, partial-update merge) → one subscriber draining its queue.
/// </summary>
internal static class BinanceEndToEnd
{
    private const int Symbols = 10;
    private const int IdDigits = 12;

    public static async Task RunAsync(TimeSpan duration)
    {
        var server = new TemplateServer();
        await using WebApplication app = await server.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        double baseline = await RawClientAsync(new Uri(address.Replace("http", "ws", StringComparison.Ordinal) + "/stream"), duration);
        (double messages, double ticks, long books) = await AdapterAsync(address, server, duration);
        Console.WriteLine($"## Binance end to end over loopback WebSocket ({Symbols} symbols; trade, bookTicker and a 10+10-level depth diff each in turn; {duration.TotalSeconds:0} s each)");
        Console.WriteLine();
        Console.WriteLine("| path | messages per second | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| raw loopback WebSocket, frames read and counted (baseline) | {baseline:N0} | 1.00 |");
        Console.WriteLine($"| Binance adapter (session + decoder) → hub (books, merge) → subscriber | {messages:N0} | {messages / baseline:F2} |");
        Console.WriteLine();
        Console.WriteLine($"Subscriber received {ticks:N0} ticks/s (trades, book tickers and book-derived top-of-book updates, merged); {books:N0} book resyncs/gaps during the run.");
    }

    private static string Symbol(int i) => "SYM" + i.ToString(CultureInfo.InvariantCulture) + "USDT";

    private static async Task<double> RawClientAsync(Uri uri, TimeSpan duration)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        byte[] subscribe = Encoding.UTF8.GetBytes("{\"method\":\"SUBSCRIBE\",\"params\":[\"sym0usdt@trade\"],\"id\":1}");
        await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
        byte[] buffer = new byte[1 << 16];
        long frames = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            }
            while (!result.EndOfMessage);

            frames++;
        }

        double rate = frames / clock.Elapsed.TotalSeconds;
        socket.Abort();
        return rate;
    }

    private static async Task<(double Messages, double Ticks, long BookTrouble)> AdapterAsync(string address, TemplateServer server, TimeSpan duration)
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, TemplateServer.ExchangeInfo());
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Binance:StreamUrl"] = address.Replace("http", "ws", StringComparison.Ordinal),
            ["Binance:RestUrl"] = address,
            ["Binance:InstrumentsFile"] = file,
        }).Build();
        var feed = new BinanceFeed(configuration, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 });
        string[] symbols = [.. Enumerable.Range(0, Symbols).Select(i => "BINANCE:" + Symbol(i))];
        await using MarketSubscription subscription = host.Subscribe(symbols, new SubscriberOptions { Mode = FeedMode.Full, TickCapacity = 1 << 20 });
        while (feed.Health.State != FeedState.Connected)
        {
            await Task.Delay(10);
        }

        long messagesBefore = feed.Health.Messages;
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

        double seconds = clock.Elapsed.TotalSeconds;
        var quality = host.Hub.Quality();
        return ((feed.Health.Messages - messagesBefore) / seconds, received / seconds, quality.BookGaps + quality.BookResyncs);
    }

    /// <summary>Pre-encoded frames whose ids are fixed-width digits patched before each send.</summary>
    private sealed class TemplateServer
    {
        private readonly long[] _tradeIds = new long[Symbols];
        private readonly long[] _bookIds = new long[Symbols];
        private long _framesSent;

        public long FramesSent => Interlocked.Read(ref _framesSent);

        public static string ExchangeInfo()
        {
            var text = new StringBuilder("{\"timezone\":\"UTC\",\"serverTime\":0,\"rateLimits\":[],\"exchangeFilters\":[],\"symbols\":[");
            for (int i = 0; i < Symbols; i++)
            {
                text.Append(i == 0 ? "" : ",").Append("{\"symbol\":\"").Append(Symbol(i)).Append("\",\"status\":\"TRADING\",\"baseAsset\":\"SYM")
                    .Append(i).Append("\",\"quoteAsset\":\"USDT\",\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01000000\",\"maxPrice\":\"1000000.00000000\",\"tickSize\":\"0.01000000\"},")
                    .Append("{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00001000\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00001000\"}]}");
            }

            return text.Append("]}").ToString();
        }

        public async Task<WebApplication> StartAsync()
        {
            for (int i = 0; i < Symbols; i++)
            {
                _tradeIds[i] = 100_000_000_000;
                _bookIds[i] = 100_000_000_000;
            }

            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            app.UseWebSockets();
            app.MapGet("/api/v3/depth", (string symbol) => Results.Text(Snapshot(int.Parse(symbol[3..^4], CultureInfo.InvariantCulture)), "application/json"));
            app.Map("/stream", StreamAsync);
            await app.StartAsync();
            return app;
        }

        private string Snapshot(int symbol)
        {
            long id = Interlocked.Read(ref _bookIds[symbol]);
            var text = new StringBuilder("{\"lastUpdateId\":").Append(id).Append(",\"bids\":[");
            for (int l = 0; l < 20; l++)
            {
                text.Append(l == 0 ? "" : ",").Append("[\"").Append(1000 - l).Append(".00000000\",\"1.00000000\"]");
            }

            text.Append("],\"asks\":[");
            for (int l = 0; l < 20; l++)
            {
                text.Append(l == 0 ? "" : ",").Append("[\"").Append(1001 + l).Append(".00000000\",\"1.00000000\"]");
            }

            return text.Append("]}").ToString();
        }

        private async Task StreamAsync(HttpContext context)
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            byte[] request = new byte[4096];
            WebSocketReceiveResult first = await socket.ReceiveAsync(request, context.RequestAborted);
            string id = ExtractId(Encoding.UTF8.GetString(request, 0, first.Count));
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"result\":null,\"id\":" + id + "}"), WebSocketMessageType.Text, true, context.RequestAborted);
            _ = DrainAsync(socket, context.RequestAborted);

            var templates = new (byte[] Bytes, int[] IdOffsets, int Symbol, int Kind)[Symbols * 3];
            for (int s = 0; s < Symbols; s++)
            {
                templates[s * 3] = Template(s, 0);
                templates[(s * 3) + 1] = Template(s, 1);
                templates[(s * 3) + 2] = Template(s, 2);
            }

            try
            {
                for (long n = 0; socket.State == WebSocketState.Open; n++)
                {
                    (byte[] bytes, int[] offsets, int symbol, int kind) = templates[n % templates.Length];
                    // As on Binance: trade ids count trades; each depth diff takes the next book update id; a book
                    // ticker carries the book's current id.
                    long next = kind switch
                    {
                        0 => Interlocked.Increment(ref _tradeIds[symbol]),
                        1 => Interlocked.Read(ref _bookIds[symbol]),
                        _ => Interlocked.Increment(ref _bookIds[symbol]),
                    };
                    foreach (int offset in offsets)
                    {
                        WriteDigits(bytes, offset, next);
                    }

                    await socket.SendAsync(bytes, WebSocketMessageType.Text, true, context.RequestAborted);
                    Interlocked.Increment(ref _framesSent);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        private static async Task DrainAsync(WebSocket socket, CancellationToken cancellationToken)
        {
            byte[] buffer = new byte[4096];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    await socket.ReceiveAsync(buffer, cancellationToken);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        private static string ExtractId(string message)
        {
            int at = message.LastIndexOf("\"id\":", StringComparison.Ordinal) + 5;
            int end = at;
            while (end < message.Length && char.IsAsciiDigit(message[end]))
            {
                end++;
            }

            return end > at ? message[at..end] : "1";
        }

        private static (byte[], int[], int, int) Template(int symbol, int kind)
        {
            string s = Symbol(symbol);
            string lower = s.ToLowerInvariant();
            string id = new('9', IdDigits);
            string json = kind switch
            {
                0 => $"{{\"stream\":\"{lower}@trade\",\"data\":{{\"e\":\"trade\",\"E\":1763798400000,\"s\":\"{s}\",\"t\":{id},\"p\":\"1000.50000000\",\"q\":\"0.01200000\",\"T\":1763798400000,\"m\":true,\"M\":true}}}}",
                1 => $"{{\"stream\":\"{lower}@bookTicker\",\"data\":{{\"u\":{id},\"s\":\"{s}\",\"b\":\"1000.00000000\",\"B\":\"1.50000000\",\"a\":\"1001.00000000\",\"A\":\"2.00000000\"}}}}",
                _ => $"{{\"stream\":\"{lower}@depth@100ms\",\"data\":{{\"e\":\"depthUpdate\",\"E\":1763798400000,\"s\":\"{s}\",\"U\":{id},\"u\":{id},\"b\":[{Levels(1000, -1)}],\"a\":[{Levels(1001, 1)}]}}}}",
            };
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            var offsets = new List<int>();
            for (int at = json.IndexOf(id, StringComparison.Ordinal); at >= 0; at = json.IndexOf(id, at + IdDigits, StringComparison.Ordinal))
            {
                offsets.Add(at);
            }

            return (bytes, [.. offsets], symbol, kind);
        }

        private static string Levels(int start, int step) =>
            string.Join(",", Enumerable.Range(0, 10).Select(l => $"[\"{start + (l * step)}.00000000\",\"{(l % 3 == 0 ? 0 : 1 + l)}.00000000\"]"));

        private static void WriteDigits(byte[] bytes, int offset, long value)
        {
            for (int i = IdDigits - 1; i >= 0; i--)
            {
                bytes[offset + i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
    }
}
