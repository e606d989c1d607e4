using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Streaming;

/// <summary>The send path under a client's choices and misbehaviour: batched frames, a client that falls behind, one that asks for everything.</summary>
public class FanoutStreamingTests
{
    [Fact]
    public async Task A_batch_subscribe_gets_json_array_frames_from_its_ack_on_and_batch_false_turns_them_off()
    {
        await using GatewayFixture f = await StartAsync(ticksPerInstrumentPerSecond: 200);
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY", "NSE:TCS", "NSE:SBIN" }, batch = true });

        JsonElement first = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(JsonValueKind.Array, first.ValueKind);
        Assert.Equal(("ack", "subscribe"), (first[0].GetProperty("type").GetString(), first[0].GetProperty("op").GetString()));

        // Every frame is an array of whole messages; ticks keep their per-symbol order across and within frames.
        var ticks = new List<JsonElement>(first.EnumerateArray().Skip(1));
        int frames = 0;
        while (ticks.Count < 200)
        {
            JsonElement frame = (await ReceiveAsync(socket))!.Value;
            Assert.Equal(JsonValueKind.Array, frame.ValueKind);
            Assert.True(frame.GetArrayLength() > 0);
            ticks.AddRange(frame.EnumerateArray());
            frames++;
        }

        Assert.All(ticks, t => Assert.Equal("tick", t.GetProperty("type").GetString()));
        Assert.True(frames < ticks.Count, $"{ticks.Count} ticks in {frames} frames: nothing was packed");
        foreach (IGrouping<string?, JsonElement> bySymbol in ticks.GroupBy(t => t.GetProperty("symbol").GetString()))
        {
            long[] seqs = [.. bySymbol.Select(t => t.GetProperty("seq").GetInt64())];
            Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second > p.First), $"{bySymbol.Key}: {string.Join(",", seqs)}");
        }

        // batch:false: from its ack on, one message per frame again.
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:ITC" }, batch = false });
        JsonElement ack = await ReceiveFlatUntilAsync(socket, m => m.GetProperty("type").GetString() == "ack");
        Assert.Equal(JsonValueKind.Object, ack.ValueKind);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(JsonValueKind.Object, (await ReceiveAsync(socket))!.Value.ValueKind);
        }
    }

    [Fact]
    public async Task A_batch_flag_that_is_not_a_boolean_is_an_error_and_the_socket_stays_open()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY" }, batch = "yes" });
        JsonElement error = (await ReceiveAsync(socket))!.Value;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("\"batch\" must be true or false", error.GetProperty("message").GetString());
        await SendAsync(socket, new { op = "ping" });
        Assert.Equal("pong", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_client_that_falls_behind_is_sent_the_latest_ticks_the_conflation_is_counted_and_ingest_keeps_up()
    {
        await using GatewayFixture f = await StartAsync(new ServerOptions { SendTimeout = TimeSpan.FromSeconds(60) }, ticksPerInstrumentPerSecond: 400);
        using ClientWebSocket slow = await f.ConnectAsync();
        string[] symbols = ["NSE:INFY", "NSE:TCS", "NSE:SBIN", "NSE:ITC", "NSE:LT", "NSE:HDFCBANK", "NSE:ICICIBANK", "NSE:RELIANCE"];
        await SendAsync(slow, new { op = "subscribe", symbols });

        // Not reading: the socket's buffers fill, the writer waits, and newer ticks replace the pending ones.
        double conflated = await Api.MarketDataApiTests.EventuallyAsync(async () =>
        {
            double value = Counter(await f.Http.GetStringAsync("/metrics"), "marketfeed_client_ticks_conflated_total");
            return value > 0 ? value : throw new InvalidOperationException("no conflation yet");
        }, 30_000);
        Assert.True(conflated > 0);

        // Reading again: what arrives is in order per symbol (latest replaced, never reordered), and the hub admitted everything.
        var ticks = new List<JsonElement>();
        while (ticks.Count < 500)
        {
            JsonElement message = (await ReceiveAsync(slow))!.Value;
            if (message.GetProperty("type").GetString() == "tick")
            {
                ticks.Add(message);
            }
        }

        foreach (IGrouping<string?, JsonElement> bySymbol in ticks.GroupBy(t => t.GetProperty("symbol").GetString()))
        {
            long[] seqs = [.. bySymbol.Select(t => t.GetProperty("seq").GetInt64())];
            Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second > p.First), $"{bySymbol.Key}: {string.Join(",", seqs)}");
        }

        string metrics = await f.Http.GetStringAsync("/metrics");
        Assert.True(Counter(metrics, "marketfeed_ticks_encoded_total") > 0);
        JsonElement status = await f.GetJsonAsync("/api/status");
        Assert.Equal(0, status.GetProperty("quality").GetProperty("ingestFull").GetInt64());
        Assert.Equal(WebSocketState.Open, slow.State);
    }

    [Fact]
    public async Task A_client_that_subscribes_to_everything_is_held_to_the_symbol_limit_with_an_error_saying_what_to_do()
    {
        await using GatewayFixture f = await StartAsync(new ServerOptions { MaxSymbolsPerClient = 5 });
        string[] everything = [.. f.Gateway.Host.Instruments.All().Select(i => i.Symbol)];
        Assert.True(everything.Length > 5);
        using ClientWebSocket socket = await f.ConnectAsync();

        await SendAsync(socket, new { op = "subscribe", symbols = everything });
        JsonElement refused = (await ReceiveAsync(socket))!.Value;
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("a client may hold at most 5 symbols; unsubscribe some first", refused.GetProperty("message").GetString());

        // Nothing of the refused request was subscribed: the next message is the pong.
        await SendAsync(socket, new { op = "ping" });
        Assert.Equal("pong", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());

        // Up to the limit is fine; one more, one at a time, is refused the same way, and only the held five stream.
        string[] held = everything[..5];
        await SendAsync(socket, new { op = "subscribe", symbols = held });
        await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "ack");
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { everything[5] } });
        List<JsonElement> messages = await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "error");
        Assert.Equal("a client may hold at most 5 symbols; unsubscribe some first", messages[^1].GetProperty("message").GetString());
        messages.AddRange(await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("seq").GetInt64() > 20, 20_000));
        Assert.All(messages.Where(m => m.GetProperty("type").GetString() == "tick"), m => Assert.Contains(m.GetProperty("symbol").GetString(), held));
    }

    /// <summary>Reads until a message matches, looking inside batched frames too.</summary>
    private static async Task<JsonElement> ReceiveFlatUntilAsync(ClientWebSocket socket, Func<JsonElement, bool> match)
    {
        for (int i = 0; i < 10_000; i++)
        {
            JsonElement frame = (await ReceiveAsync(socket))!.Value;
            if (frame.ValueKind == JsonValueKind.Object && match(frame))
            {
                return frame;
            }
        }

        throw new TimeoutException("no matching message");
    }

    private static double Counter(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
