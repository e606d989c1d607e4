using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Streaming;

public class WebSocketStreamingTests
{
    [Fact]
    public async Task Subscribe_gets_an_ack_then_a_snapshot_then_updates_in_sequence()
    {
        await using GatewayFixture f = await StartAsync(symbols: ["NSE:INFY"]);
        await Api.MarketDataApiTests.EventuallyAsync(() => f.GetJsonAsync("/api/ticks/NSE%3AINFY/latest"));
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY", "NSE:HDFCBANK" }, channels = new[] { "ticks", "candles:1m" } });

        JsonElement ack = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(("ack", "subscribe"), (ack.GetProperty("type").GetString(), ack.GetProperty("op").GetString()));
        Assert.Equal(["ticks", "candles:1m"], ack.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));

        // The snapshot comes first: INFY already has a latest tick and a forming candle.
        JsonElement snapshot = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(("tick", "NSE:INFY"), (snapshot.GetProperty("type").GetString(), snapshot.GetProperty("symbol").GetString()));

        List<JsonElement> messages = await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("symbol").GetString() == "NSE:HDFCBANK");
        messages.AddRange(await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "candle" && m.GetProperty("symbol").GetString() == "NSE:HDFCBANK"));
        messages.Insert(0, snapshot);
        foreach (IGrouping<string?, JsonElement> bySymbol in messages.Where(m => m.GetProperty("type").GetString() == "tick").GroupBy(m => m.GetProperty("symbol").GetString()))
        {
            long[] seqs = [.. bySymbol.Select(m => m.GetProperty("seq").GetInt64())];
            Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second > p.First), $"{bySymbol.Key}: {string.Join(",", seqs)}");
        }

        Assert.All(messages, m => Assert.Contains(m.GetProperty("symbol").GetString(), new[] { "NSE:INFY", "NSE:HDFCBANK" }));
        Assert.Contains(messages, m => m.GetProperty("type").GetString() == "candle" && m.GetProperty("interval").GetString() == "1m");

        // Candle messages are numbered per series too, rising.
        long[] candleSeqs = [.. messages.Where(m => m.GetProperty("type").GetString() == "candle" && m.GetProperty("symbol").GetString() == "NSE:HDFCBANK").Select(m => m.GetProperty("seq").GetInt64())];
        Assert.True(candleSeqs.Zip(candleSeqs.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public async Task After_the_unsubscribe_ack_no_message_of_that_symbol_arrives()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY", "NSE:TCS" } });
        await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("symbol").GetString() == "NSE:INFY");
        await SendAsync(socket, new { op = "unsubscribe", symbols = new[] { "NSE:INFY" } });
        await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "ack" && m.GetProperty("op").GetString() == "unsubscribe");

        List<JsonElement> after = await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("symbol").GetString() == "NSE:TCS" && m.GetProperty("seq").GetInt64() > 30);
        Assert.DoesNotContain(after, m => m.GetProperty("symbol").GetString() == "NSE:INFY");
    }

    [Fact]
    public async Task Malformed_json_and_unknown_symbols_get_errors_and_the_socket_stays_open()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await socket.SendAsync("{\"op\":"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        JsonElement malformed = (await ReceiveAsync(socket))!.Value;
        Assert.Equal("error", malformed.GetProperty("type").GetString());
        Assert.Contains("malformed JSON", malformed.GetProperty("message").GetString());

        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:RELIANC" } });
        JsonElement unknown = (await ReceiveAsync(socket))!.Value;
        Assert.Contains("did you mean NSE:RELIANCE", unknown.GetProperty("message").GetString());

        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY" }, channels = new[] { "candles:7x" } });
        Assert.Contains("channel 'candles:7x' is not valid", (await ReceiveAsync(socket))!.Value.GetProperty("message").GetString());

        await SendAsync(socket, new { op = "dance" });
        Assert.Contains("unknown op 'dance'", (await ReceiveAsync(socket))!.Value.GetProperty("message").GetString());

        await SendAsync(socket, new { op = "ping" });
        Assert.Equal("pong", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task An_oversized_message_closes_the_socket_with_a_policy_violation()
    {
        await using GatewayFixture f = await StartAsync(new ServerOptions { MaxMessageBytes = 1024 });
        using ClientWebSocket socket = await f.ConnectAsync();
        await socket.SendAsync(new byte[4096], WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Contains("message too large", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Symbols_per_client_and_clients_are_limited()
    {
        await using GatewayFixture f = await StartAsync(new ServerOptions { MaxSymbolsPerClient = 2, MaxClients = 1 });
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY", "NSE:TCS", "NSE:SBIN" } });
        Assert.Contains("at most 2 symbols", (await ReceiveAsync(socket))!.Value.GetProperty("message").GetString());

        using var second = new ClientWebSocket();
        WebSocketException refused = await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(f.WebSocketUri("/ws"), CancellationToken.None));
        Assert.Contains("503", refused.Message);
    }

    [Fact]
    public async Task One_symbol_sockets_stream_ticks_or_candles_and_refuse_unknown_symbols_before_upgrading()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket ticks = await f.ConnectAsync("/ws/ticks/NSE%3AITC");
        await ReceiveUntilAsync(ticks, m => m.GetProperty("type").GetString() == "tick" && m.GetProperty("symbol").GetString() == "NSE:ITC");

        using ClientWebSocket candles = await f.ConnectAsync("/ws/candles/NSE%3AITC?interval=1s");
        List<JsonElement> seen = await ReceiveUntilAsync(candles, m => m.GetProperty("type").GetString() == "candle" && m.GetProperty("closed").GetBoolean());
        Assert.DoesNotContain(seen, m => m.GetProperty("type").GetString() == "tick");

        HttpResponseMessage unknown = await f.Http.GetAsync("/ws/ticks/NSE%3AITX");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var refused = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(f.WebSocketUri("/ws/ticks/NSE%3AITX"), CancellationToken.None));
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_with_a_reason_and_others_keep_streaming()
    {
        await using GatewayFixture f = await StartAsync(new ServerOptions { MaxPendingCandleEvents = 50, SendTimeout = TimeSpan.FromSeconds(2) }, ticksPerInstrumentPerSecond: 400);
        using ClientWebSocket stalled = await f.ConnectWithSmallBufferAsync();
        string[] symbols = ["NSE:INFY", "NSE:TCS", "NSE:SBIN", "NSE:ITC", "NSE:LT", "NSE:HDFCBANK", "NSE:ICICIBANK", "NSE:RELIANCE"];
        await SendAsync(stalled, new { op = "subscribe", symbols, channels = new[] { "ticks", "candles:1s", "candles:2s", "candles:3s" } });
        using ClientWebSocket healthy = await f.ConnectAsync();
        await SendAsync(healthy, new { op = "subscribe", symbols = new[] { "NSE:INFY" } });

        // The stalled client never reads; the healthy one keeps receiving while the gateway gives up on the other.
        JsonElement status = await Api.MarketDataApiTests.EventuallyAsync(async () =>
        {
            await ReceiveUntilAsync(healthy, m => m.GetProperty("type").GetString() == "tick");
            string metrics = await f.Http.GetStringAsync("/metrics");
            return metrics.Contains("marketfeed_clients_disconnected_total{reason=\"slow_consumer\"} 1", StringComparison.Ordinal)
                ? await f.GetJsonAsync("/api/status")
                : throw new InvalidOperationException("not yet");
        }, 30_000);
        Assert.Equal(0, status.GetProperty("quality").GetProperty("ingestFull").GetInt64());
        Assert.Equal(WebSocketState.Open, healthy.State);
    }
}
