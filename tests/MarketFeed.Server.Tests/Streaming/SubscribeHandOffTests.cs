using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Streaming;

/// <summary>
/// Snapshot and live never overlap: under subscribe/unsubscribe churn every client sees each tick sequence number of
/// an instrument, and each candle sequence number of a series, at most once and in rising order.
/// </summary>
public class SubscribeHandOffTests
{
    private static readonly string[] Symbols = ["NSE:INFY", "NSE:TCS", "BINANCE:BTCUSDT"];

    [Fact]
    public async Task Under_churn_on_ws_no_client_sees_a_tick_or_candle_sequence_number_twice_or_out_of_order()
    {
        await using GatewayFixture f = await StartAsync(ticksPerInstrumentPerSecond: 400, symbols: Symbols);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(client => ChurnAsync(f, client)));
    }

    [Fact]
    public async Task On_sse_a_plain_subscribe_never_repeats_a_sequence_number()
    {
        await using GatewayFixture f = await StartAsync(ticksPerInstrumentPerSecond: 400, symbols: Symbols);
        var order = new SequenceOrder();
        for (int connection = 0; connection < 50; connection++)
        {
            order.NewClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/stream?symbols={string.Join(',', Symbols)}&channels=ticks,candles:1s,candles:5s");
            using HttpResponseMessage response = await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (int read = 0; read < 40;)
            {
                string line = (await reader.ReadLineAsync(timeout.Token))!;
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    order.See(JsonDocument.Parse(line["data: ".Length..]).RootElement);
                    read++;
                }
            }
        }

        Assert.True(order.Checked > 1000, $"only {order.Checked} messages checked");
        Assert.Empty(order.Violations);
    }

    private static async Task ChurnAsync(GatewayFixture f, int client)
    {
        using ClientWebSocket socket = await f.ConnectAsync();
        var order = new SequenceOrder();
        using var stop = new CancellationTokenSource();
        Task reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await ReceiveAsync(socket) is not { } message)
                {
                    return;
                }

                lock (order)
                {
                    order.See(message);
                }
            }
        });

        var random = new Random(client);
        for (int round = 0; round < 60; round++)
        {
            string[] some = [.. Symbols.Where(_ => random.Next(2) == 0).DefaultIfEmpty(Symbols[round % Symbols.Length])];
            await SendAsync(socket, new { op = "subscribe", symbols = some, channels = new[] { "ticks", "candles:1s" } });
            await Task.Delay(random.Next(0, 15));
            await SendAsync(socket, new { op = "unsubscribe", symbols = some });
            await Task.Delay(random.Next(0, 5));
        }

        await SendAsync(socket, new { op = "ping" });
        await Task.Delay(500);
        await stop.CancelAsync();
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await reader.ContinueWith(_ => { }, TaskScheduler.Default);
        lock (order)
        {
            Assert.True(order.Checked > 100, $"client {client}: only {order.Checked} messages checked");
            Assert.Empty(order.Violations);
        }
    }

    /// <summary>The last sequence number each client saw per instrument (ticks) and per series (candles).</summary>
    private sealed class SequenceOrder
    {
        private readonly Dictionary<string, long> _last = [];

        public List<string> Violations { get; } = [];

        public int Checked { get; private set; }

        public void NewClient() => _last.Clear();

        public void See(JsonElement message)
        {
            string? type = message.GetProperty("type").GetString();
            if (type is not ("tick" or "candle"))
            {
                return;
            }

            string key = type == "tick"
                ? "tick " + message.GetProperty("symbol").GetString()
                : $"candle {message.GetProperty("symbol").GetString()} {message.GetProperty("interval").GetString()}";
            long seq = message.GetProperty("seq").GetInt64();
            if (_last.TryGetValue(key, out long last) && seq <= last)
            {
                Violations.Add($"{key}: seq {seq} after {last}");
            }

            _last[key] = Math.Max(seq, last);
            Checked++;
        }
    }
}
