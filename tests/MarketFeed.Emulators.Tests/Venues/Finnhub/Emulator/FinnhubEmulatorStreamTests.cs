using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MarketFeed.Emulators.Tests.TestSupport;
using MarketFeed.Venues.Finnhub.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Finnhub.Emulator;

/// <summary>The Finnhub emulator's socket with a plain ClientWebSocket: the token, Finnhub's messages, its cap, pings and faults.</summary>
public class FinnhubEmulatorStreamTests
{
    private static async Task<ClientWebSocket> ConnectAsync(FinnhubEmulator emulator, string? token = null)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(emulator.StreamUrl, "?token=" + (token ?? emulator.Token)), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, int timeoutMs = 5_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        byte[] buffer = new byte[64 * 1024];
        int length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Frames until <paramref name="done"/> says enough.</summary>
    private static async Task<List<string>> ReceiveUntilAsync(ClientWebSocket socket, Func<List<string>, bool> done)
    {
        var frames = new List<string>();
        while (!done(frames))
        {
            frames.Add(await ReceiveAsync(socket));
        }

        return frames;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Without_the_token_the_upgrade_is_refused_with_401(string? token)
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions());
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        Uri uri = token is null ? emulator.StreamUrl : new Uri(emulator.StreamUrl, "?token=" + token);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        Assert.Equal(1, emulator.AuthRejections);
    }

    [Fact]
    public async Task Subscribed_symbols_arrive_as_finnhubs_trade_frames_several_trades_each_with_sorted_keys()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 200 });
        using ClientWebSocket socket = await ConnectAsync(emulator);
        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"AAPL\"}");
        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"BINANCE:BTCUSDT\"}");
        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"OANDA:EUR_USD\"}");

        List<string> frames = await ReceiveUntilAsync(socket, f => f.Count >= 30);
        var trades = frames.Select(f => JsonDocument.Parse(f).RootElement).Where(f => f.GetProperty("type").GetString() == "trade").ToList();
        Assert.NotEmpty(trades);
        Assert.All(trades, f => Assert.Equal(["data", "type"], f.EnumerateObject().Select(p => p.Name)));
        var all = trades.SelectMany(f => f.GetProperty("data").EnumerateArray()).ToList();
        Assert.Contains(trades, f => f.GetProperty("data").GetArrayLength() > 1);
        Assert.Contains(trades, f => f.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("s").GetString()).Distinct().Count() > 1);
        Assert.All(all, t =>
        {
            string[] keys = [.. t.EnumerateObject().Select(p => p.Name)];
            Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
            Assert.Equal(JsonValueKind.Number, t.GetProperty("p").ValueKind);
            Assert.True(t.GetProperty("t").GetInt64() > 1_700_000_000_000);
        });
        Assert.Equal(["AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD"], all.Select(t => t.GetProperty("s").GetString()).Distinct().Order(StringComparer.Ordinal));

        // Conditions only on stocks; forex volume is 0; crypto volume fractional.
        Assert.All(all.Where(t => t.GetProperty("s").GetString() != "AAPL"), t => Assert.False(t.TryGetProperty("c", out _)));
        Assert.All(all.Where(t => t.GetProperty("s").GetString() == "OANDA:EUR_USD"), t => Assert.Equal("0", t.GetProperty("v").GetRawText()));
        Assert.Contains(all.Where(t => t.GetProperty("s").GetString() == "BINANCE:BTCUSDT"), t => t.GetProperty("v").GetRawText().Contains('.'));
    }

    [Fact]
    public async Task Pings_come_when_idle_and_unsubscribing_stops_a_symbol()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 100, PingInterval = TimeSpan.FromMilliseconds(100) });
        using ClientWebSocket socket = await ConnectAsync(emulator);
        Assert.Equal("{\"type\":\"ping\"}", await ReceiveAsync(socket));

        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"MSFT\"}");
        await ReceiveUntilAsync(socket, f => f.Any(x => x.Contains("\"MSFT\"", StringComparison.Ordinal)));
        await SendAsync(socket, "{\"type\":\"unsubscribe\",\"symbol\":\"MSFT\"}");
        await Eventually.WaitUntil(() => emulator.Subscriptions.Single().Count == 0);

        // A loop step that read the subscription just before may still be sending: let it finish.
        await Task.Delay(100);
        await ReceiveUntilAsync(socket, f => f.Count >= 1 && f[^1] == "{\"type\":\"ping\"}");
        List<string> after = await ReceiveUntilAsync(socket, f => f.Count(x => x == "{\"type\":\"ping\"}") >= 3);
        Assert.All(after, f => Assert.Equal("{\"type\":\"ping\"}", f));
    }

    [Fact]
    public async Task Past_the_symbol_cap_finnhubs_error_comes_and_the_symbol_is_not_subscribed_and_unsubscribing_frees_a_slot()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 0, MaxSymbols = 2 });
        using ClientWebSocket socket = await ConnectAsync(emulator);
        foreach (string symbol in new[] { "AAPL", "MSFT", "MSFT", "TSLA" })
        {
            await SendAsync(socket, $"{{\"type\":\"subscribe\",\"symbol\":\"{symbol}\"}}");
        }

        Assert.Equal("{\"msg\":\"Subscribing to too many symbols\",\"type\":\"error\"}", await ReceiveAsync(socket));
        Assert.Equal(["AAPL", "MSFT"], emulator.Subscriptions.Single());
        Assert.Equal(1, emulator.RefusedSubscriptions);

        await SendAsync(socket, "{\"type\":\"unsubscribe\",\"symbol\":\"AAPL\"}");
        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"TSLA\"}");
        await Eventually.WaitUntil(() => emulator.Subscriptions.Single().SequenceEqual(["MSFT", "TSLA"]));

        // The fault lowers the cap for what comes next.
        emulator.SetFaults("toomanysymbols=1");
        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"NVDA\"}");
        Assert.Contains("too many symbols", await ReceiveAsync(socket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duptrades_sends_every_trade_frame_three_times_in_a_row()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 50, Faults = "duptrades" });
        using ClientWebSocket socket = await ConnectAsync(emulator);
        await SendAsync(socket, "{\"type\":\"subscribe\",\"symbol\":\"AAPL\"}");

        List<string> trades = [.. (await ReceiveUntilAsync(socket, f => f.Count(x => x.Contains("trade", StringComparison.Ordinal)) >= 12)).Where(x => x.Contains("trade", StringComparison.Ordinal))];
        foreach (string[] triple in trades.Take(12).Chunk(3))
        {
            Assert.Equal(triple[0], triple[1]);
            Assert.Equal(triple[0], triple[2]);
        }

        Assert.NotEqual(trades[0], trades[3]);
    }

    [Fact]
    public async Task A_second_socket_for_the_same_token_closes_the_first()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { PingInterval = TimeSpan.FromMilliseconds(100) });
        using ClientWebSocket first = await ConnectAsync(emulator);
        using ClientWebSocket second = await ConnectAsync(emulator);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                await ReceiveAsync(first);
            }
        });
        Assert.Equal("{\"type\":\"ping\"}", await ReceiveAsync(second));
        Assert.Equal(1, emulator.Connections);
    }

    [Fact]
    public async Task Refuse_answers_503_and_silent_sends_nothing_not_even_pings()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { PingInterval = TimeSpan.FromMilliseconds(50), Faults = "refuse" });
        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(new Uri(emulator.StreamUrl, "?token=" + emulator.Token), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);

        emulator.SetFaults("-refuse,silent");
        using ClientWebSocket socket = await ConnectAsync(emulator);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReceiveAsync(socket, 500));
    }
}
