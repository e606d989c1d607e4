using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Model;
using MarketFeed.Venues.Binance.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Binance.Emulator;

/// <summary>The Binance emulator's market streams, read with a bare ClientWebSocket as Binance's documents.</summary>
public class BinanceEmulatorStreamTests
{
    internal static Task<BinanceEmulator> StartAsync(double tradesPerSecond = 50, string? faults = null) =>
        BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = tradesPerSecond, Faults = faults });

    [Fact]
    public async Task Combined_stream_events_are_binance_documents_with_numbers_as_strings_and_increasing_ids()
    {
        await using BinanceEmulator emulator = await StartAsync();
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl,
            "/stream?streams=btcusdt@trade/btcusdt@bookTicker/ethusdt@depth@100ms/xrpusdt@depth5@100ms");
        var counts = new Dictionary<string, int>();
        long lastTrade = 0, lastTicker = 0, lastDepth = 0;
        var deadline = Stopwatch.StartNew();
        while (counts.GetValueOrDefault("btcusdt@trade") < 20 || counts.GetValueOrDefault("btcusdt@bookTicker") < 20
            || counts.GetValueOrDefault("ethusdt@depth@100ms") < 5 || counts.GetValueOrDefault("xrpusdt@depth5@100ms") < 3)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "not enough events");
            JsonElement message = await socket.ReceiveJsonAsync();
            Assert.Equal(["stream", "data"], Names(message));
            string stream = message.GetProperty("stream").GetString()!;
            JsonElement data = message.GetProperty("data");
            counts[stream] = counts.GetValueOrDefault(stream) + 1;
            switch (stream)
            {
                case "btcusdt@trade":
                    Assert.Equal(["e", "E", "s", "t", "p", "q", "T", "m", "M"], Names(data));
                    Assert.Equal(("trade", "BTCUSDT"), (data.GetProperty("e").GetString(), data.GetProperty("s").GetString()));
                    long id = data.GetProperty("t").GetInt64();
                    Assert.True(lastTrade == 0 || id == lastTrade + 1, $"trade id {id} after {lastTrade}");
                    lastTrade = id;
                    Assert.True(Multiple(data.GetProperty("p"), 0.01m) && Multiple(data.GetProperty("q"), 0.00001m));
                    Assert.True(data.GetProperty("T").GetInt64() <= data.GetProperty("E").GetInt64());
                    Assert.True(data.GetProperty("m").ValueKind is JsonValueKind.True or JsonValueKind.False);
                    break;
                case "btcusdt@bookTicker":
                    Assert.Equal(["u", "s", "b", "B", "a", "A"], Names(data));
                    long u = data.GetProperty("u").GetInt64();
                    Assert.True(u > lastTicker, $"bookTicker u {u} after {lastTicker}");
                    lastTicker = u;
                    Assert.True(Number(data.GetProperty("b")) < Number(data.GetProperty("a")));
                    Assert.True(Number(data.GetProperty("B")) > 0 && Number(data.GetProperty("A")) > 0);
                    break;
                case "ethusdt@depth@100ms":
                    Assert.Equal(["e", "E", "s", "U", "u", "b", "a"], Names(data));
                    Assert.Equal(("depthUpdate", "ETHUSDT"), (data.GetProperty("e").GetString(), data.GetProperty("s").GetString()));
                    long first = data.GetProperty("U").GetInt64();
                    Assert.True(lastDepth == 0 || first == lastDepth + 1, $"U {first} after u {lastDepth}");
                    lastDepth = data.GetProperty("u").GetInt64();
                    Assert.True(lastDepth >= first);
                    Assert.All(data.GetProperty("b").EnumerateArray().Concat(data.GetProperty("a").EnumerateArray()), level =>
                    {
                        Assert.Equal(2, level.GetArrayLength());
                        Assert.True(Multiple(level[0], 0.01m) && Number(level[1]) >= 0);
                    });
                    break;
                case "xrpusdt@depth5@100ms":
                    Assert.Equal(["lastUpdateId", "bids", "asks"], Names(data));
                    decimal[] bids = [.. data.GetProperty("bids").EnumerateArray().Select(l => Number(l[0]))];
                    decimal[] asks = [.. data.GetProperty("asks").EnumerateArray().Select(l => Number(l[0]))];
                    Assert.Equal(5, bids.Length);
                    Assert.Equal(bids.OrderDescending(), bids);
                    Assert.Equal(asks.Order(), asks);
                    Assert.True(bids[0] < asks[0] && Multiple(data.GetProperty("bids")[0][0], 0.0001m));
                    break;
                default:
                    Assert.Fail($"unexpected stream {stream}");
                    break;
            }
        }
    }

    [Fact]
    public async Task The_raw_form_sends_bare_events_until_the_combined_property_is_set()
    {
        await using BinanceEmulator emulator = await StartAsync();
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws/btcusdt@trade");
        JsonElement first = await socket.ReceiveJsonAsync();
        Assert.Equal("trade", first.GetProperty("e").GetString());

        await socket.SendAsync("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":1}");
        Assert.Equal("{\"result\":false,\"id\":1}", (await socket.ReplyAsync()).GetRawText());
        await socket.SendAsync("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":2}");
        Assert.Equal("{\"result\":null,\"id\":2}", (await socket.ReplyAsync()).GetRawText());
        JsonElement wrapped;
        do
        {
            wrapped = await socket.ReceiveJsonAsync();
        }
        while (!wrapped.TryGetProperty("stream", out _));

        Assert.Equal("btcusdt@trade", wrapped.GetProperty("stream").GetString());
        Assert.Equal("trade", wrapped.GetProperty("data").GetProperty("e").GetString());

        emulator.DropConnections();
        await Assert.ThrowsAsync<WebSocketException>(async () =>
        {
            while (await socket.ReceiveAsync() is not null)
            {
            }
        });
    }

    [Fact]
    public async Task Times_are_in_microseconds_on_request_and_a_url_naming_an_invalid_stream_is_closed_with_1008()
    {
        await using BinanceEmulator emulator = await StartAsync();
        await using BinanceTestSocket micro = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@trade&timeUnit=MICROSECOND");
        JsonElement trade = (await micro.ReceiveJsonAsync()).GetProperty("data");
        long nowMicroseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        Assert.InRange(trade.GetProperty("E").GetInt64(), nowMicroseconds - 5_000_000, nowMicroseconds + 1_000_000);
        Assert.InRange(trade.GetProperty("T").GetInt64(), nowMicroseconds - 5_000_000, nowMicroseconds + 1_000_000);

        await using BinanceTestSocket invalid = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws/BTCUSDT@trade");
        Assert.Null(await invalid.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, invalid.CloseStatus);
    }

    [Fact]
    public async Task Live_control_messages_get_binances_replies_and_error_codes()
    {
        await using BinanceEmulator emulator = await StartAsync();
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws");
        async Task<string> Ask(string request)
        {
            // Within Binance's 5 messages per second.
            await Task.Delay(250);
            await socket.SendAsync(request);
            return (await socket.ReplyAsync()).GetRawText();
        }

        Assert.Equal("{\"result\":null,\"id\":1}", await Ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"ethusdt@bookTicker\"],\"id\":1}"));
        Assert.Equal("{\"result\":[\"btcusdt@trade\",\"ethusdt@bookTicker\"],\"id\":\"list1\"}", await Ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\"list1\"}"));
        Assert.Equal("{\"result\":null,\"id\":312}", await Ask("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"ethusdt@bookTicker\"],\"id\":312}"));
        Assert.Equal("{\"result\":[\"btcusdt@trade\"],\"id\":3}", await Ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}"));
        Assert.Equal("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":4}", await Ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"BTCUSDT@trade\"],\"id\":4}"));
        Assert.StartsWith("{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown variant `SUBSCRIBED`, expected one of `SUBSCRIBE`", await Ask("{\"method\":\"SUBSCRIBED\",\"params\":[],\"id\":5}"));
        Assert.StartsWith("{\"error\":{\"code\":2,\"msg\":\"Invalid request: missing field `method`", await Ask("{\"params\":[],\"id\":6}"));
        Assert.Equal("{\"error\":{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"},\"id\":null}", await Ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":[1]}"));
        Assert.StartsWith("{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column", await Ask("{not json"));
        Assert.Equal("{\"error\":{\"code\":0,\"msg\":\"Unknown property\"},\"id\":7}", await Ask("{\"method\":\"SET_PROPERTY\",\"params\":[\"compressed\",true],\"id\":7}"));
        Assert.Equal("{\"error\":{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\"},\"id\":8}", await Ask("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",1],\"id\":8}"));
        Assert.Equal("{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many parameters\"},\"id\":9}", await Ask("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\",true],\"id\":9}"));

        JsonElement trade = await socket.ReceiveJsonAsync();
        Assert.Equal("BTCUSDT", trade.GetProperty("s").GetString());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task More_than_1024_streams_on_a_connection_is_refused_as_too_many_subscriptions()
    {
        await using BinanceEmulator emulator = await StartAsync(tradesPerSecond: 0);
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@trade");
        string Names(int from, int count) => string.Join(',', Enumerable.Range(from, count).Select(i => $"\"coin{i}usdt@trade\""));

        await socket.SendAsync($"{{\"method\":\"SUBSCRIBE\",\"params\":[{Names(0, 1023)}],\"id\":1}}");
        Assert.Equal("{\"result\":null,\"id\":1}", (await socket.ReplyAsync()).GetRawText());
        await socket.SendAsync($"{{\"method\":\"SUBSCRIBE\",\"params\":[{Names(1023, 1)}, {Names(0, 1)}],\"id\":2}}");
        Assert.Equal("{\"error\":{\"code\":4,\"msg\":\"Too many subscriptions\"},\"id\":2}", (await socket.ReplyAsync()).GetRawText());
        await socket.SendAsync("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}");
        Assert.Equal(1024, (await socket.ReplyAsync()).GetProperty("result").GetArrayLength());
    }

    [Fact]
    public async Task A_sixth_message_within_a_second_closes_the_connection_while_five_per_second_is_fine()
    {
        await using BinanceEmulator emulator = await StartAsync(tradesPerSecond: 0);
        await using BinanceTestSocket paced = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws");
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                await paced.SendAsync($"{{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{i}}}");
            }

            for (int i = 0; i < 5; i++)
            {
                await paced.ReplyAsync();
            }

            await Task.Delay(1_100);
        }

        Assert.Equal(WebSocketState.Open, paced.State);

        await using BinanceTestSocket eager = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws");
        for (int i = 0; i < 6; i++)
        {
            await eager.SendAsync($"{{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{i}}}");
        }

        int replies = 0;
        while (await eager.ReceiveAsync() is not null)
        {
            replies++;
        }

        Assert.Equal(5, replies);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, eager.CloseStatus);
    }

    [Fact]
    public async Task Shutdown_sends_serverShutdown_on_every_connection_then_closes_each_after_the_delay()
    {
        await using BinanceEmulator emulator = await StartAsync();
        await using BinanceTestSocket combined = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@trade");
        await using BinanceTestSocket raw = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws/ethusdt@trade");
        await combined.ReceiveJsonAsync();
        await raw.ReceiveJsonAsync();

        emulator.SetFaults("shutdown=1");
        foreach ((BinanceTestSocket socket, bool isCombined) in new[] { (combined, true), (raw, false) })
        {
            JsonElement message;
            do
            {
                message = await socket.ReceiveJsonAsync();
            }
            while (!(isCombined ? message.GetProperty("stream").GetString() == "!serverShutdown" : message.GetProperty("e").GetString() == "serverShutdown"));

            var noticed = Stopwatch.StartNew();
            JsonElement notice = isCombined ? message.GetProperty("data") : message;
            Assert.Equal(["e", "E"], Names(notice));
            Assert.InRange(notice.GetProperty("E").GetInt64(), DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            while (await socket.ReceiveAsync() is not null)
            {
            }

            Assert.InRange(noticed.Elapsed, TimeSpan.FromMilliseconds(isCombined ? 700 : 0), TimeSpan.FromSeconds(5));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        }
    }

    [Fact]
    public async Task Refuse_answers_upgrades_503_and_auth_answers_the_wafs_403()
    {
        await using BinanceEmulator emulator = await StartAsync(tradesPerSecond: 0);
        using var http = new HttpClient { BaseAddress = emulator.RestUrl };
        HttpResponseMessage set = await http.PostAsync("/_emulator/faults?spec=refuse", null);
        Assert.Contains("refuse=True", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.PostAsync("/_emulator/faults?spec=nosuch", null)).StatusCode);
        Assert.Equal(503, await UpgradeStatusAsync(emulator, "/stream?streams=btcusdt@trade"));
        emulator.SetFaults("-refuse,auth");
        Assert.Equal(403, await UpgradeStatusAsync(emulator, "/ws/btcusdt@trade"));
        Assert.Equal(1, emulator.AuthRejections);
        emulator.SetFaults("-auth");
        Assert.Equal(101, await UpgradeStatusAsync(emulator, "/ws/btcusdt@trade"));
    }

    [Fact]
    public async Task Sent_reports_every_trade_as_sent_and_absurd_and_timejump_reach_the_wire()
    {
        await using BinanceEmulator emulator = await StartAsync();
        var sent = new ConcurrentDictionary<long, Tick>();
        emulator.Sent += (symbol, tick) =>
        {
            if (symbol == "BTCUSDT" && (tick.Updates & TickFields.Trade) != 0)
            {
                sent[tick.VenueSequence] = tick;
            }
        };
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws/btcusdt@trade");
        for (int i = 0; i < 10; i++)
        {
            JsonElement trade = await socket.ReceiveJsonAsync();
            Tick tick = sent[trade.GetProperty("t").GetInt64()];
            Assert.Equal(Price.Parse(trade.GetProperty("p").GetString()!), tick.Ltp);
            Assert.Equal(Quantity.FromDecimal(Number(trade.GetProperty("q"))), tick.Ltq);
            Assert.Equal(trade.GetProperty("T").GetInt64(), new DateTimeOffset(tick.ExchangeTime).ToUnixTimeMilliseconds());
        }

        emulator.SetFaults("timejump=3600");
        JsonElement late = await NextAsync(socket, t => t.GetProperty("T").GetInt64() > DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeMilliseconds());
        Assert.True(late.GetProperty("E").GetInt64() >= late.GetProperty("T").GetInt64());

        emulator.SetFaults("-timejump,absurd");
        await NextAsync(socket, t => t.GetProperty("p").GetString() == "10000000.00000000");
        await NextAsync(socket, t => Number(t.GetProperty("q")) > 1_000_000m);
    }

    [Fact]
    public async Task Malformed_and_oddtext_mix_broken_and_strange_frames_into_the_stream()
    {
        await using BinanceEmulator emulator = await StartAsync(faults: "malformed,oddtext");
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@trade");
        var seen = new HashSet<string>();
        var deadline = Stopwatch.StartNew();
        while (seen.Count < 5)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "missing: " + string.Join(',', seen));
            string text = (await socket.ReceiveAsync())!;
            if (text == "{not json")
            {
                seen.Add("not json");
            }
            else if (text.Contains("\"p\":\"12.3.4\"", StringComparison.Ordinal))
            {
                seen.Add("bad number");
            }
            else if (text.Contains("\"e\":\"surprise\"", StringComparison.Ordinal))
            {
                seen.Add("unknown event");
            }
            else if (text == "[]")
            {
                seen.Add("odd");
            }
            else if (!IsJson(text))
            {
                seen.Add("truncated");
            }
        }
    }

    [Fact]
    public async Task Silent_stops_every_frame_and_oversized_sends_one_huge_frame()
    {
        await using BinanceEmulator emulator = await StartAsync();
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws/btcusdt@trade");
        await socket.ReceiveJsonAsync();
        emulator.SetFaults("silent");
        await Task.Delay(100);
        try
        {
            while (await socket.ReceiveAsync(TimeSpan.FromMilliseconds(500)) is not null)
            {
            }

            Assert.Fail("closed");
        }
        catch (OperationCanceledException)
        {
        }

        await using BinanceTestSocket other = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/ws/ethusdt@trade");
        emulator.SetFaults("-silent,oversized=300000");
        string? huge;
        do
        {
            huge = await other.ReceiveAsync();
        }
        while (huge is { Length: < 300_000 });

        Assert.Equal(300_000, huge!.Length);
        Assert.Equal("oversized", JsonDocument.Parse(huge).RootElement.GetProperty("e").GetString());
    }

    [Fact]
    public async Task Fuzz_sends_fuzzed_frames_of_the_targets_only()
    {
        await using BinanceEmulator emulator = await StartAsync();
        var fuzzed = new ConcurrentQueue<string>();
        emulator.Fuzzed += frame => fuzzed.Enqueue(System.Text.Encoding.UTF8.GetString(frame.Bytes));
        await using BinanceTestSocket socket = await BinanceTestSocket.ConnectAsync(emulator.StreamUrl, "/stream?streams=btcusdt@trade/ethusdt@trade");
        Task draining = socket.DrainAsync();
        emulator.SetFaults("fuzz=7,fuzzcount=50,fuzzsize=70000,fuzztarget=BTCUSDT");
        await TestSupport.Eventually.WaitUntil(() => fuzzed.Count >= 50);
        Assert.Equal(50, fuzzed.Count);
        Assert.DoesNotContain(fuzzed, text => text.Contains("ETHUSDT", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(fuzzed, text => text.Contains("BTCUSDT", StringComparison.OrdinalIgnoreCase));
        emulator.DropConnections();
        await draining;
    }

    [Fact]
    public async Task An_unknown_fault_fails_with_the_shared_and_the_binance_names()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(faults: "depthgap,nosuchfault"));
        Assert.Contains("ratelimit=N", error.Message, StringComparison.Ordinal);
        Assert.Contains("depthgap, shutdown=SECONDS, ban", error.Message, StringComparison.Ordinal);
        await using BinanceEmulator emulator = await StartAsync(tradesPerSecond: 0);
        Assert.Throws<ArgumentException>(() => emulator.SetFaults("shutdown=soon"));
        Assert.Contains("MARKETFEED_Binance__StreamUrl=ws://127.0.0.1:", string.Join('\n', emulator.Describe()), StringComparison.Ordinal);
    }

    internal static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    internal static decimal Number(JsonElement text)
    {
        Assert.Equal(JsonValueKind.String, text.ValueKind);
        string value = text.GetString()!;
        Assert.Matches(@"^\d+\.\d{8}$", value);
        return decimal.Parse(value, CultureInfo.InvariantCulture);
    }

    private static bool Multiple(JsonElement text, decimal step) => Number(text) % step == 0;

    private static bool IsJson(string text)
    {
        try
        {
            JsonDocument.Parse(text).Dispose();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> NextAsync(BinanceTestSocket socket, Func<JsonElement, bool> match)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "no such frame");
            JsonElement message = await socket.ReceiveJsonAsync();
            if (message.TryGetProperty("e", out _) && match(message))
            {
                return message;
            }
        }
    }

    private static async Task<int> UpgradeStatusAsync(BinanceEmulator emulator, string path)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        try
        {
            await client.ConnectAsync(new Uri(emulator.StreamUrl, path), CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return (int)client.HttpStatusCode;
    }
}
