using System.Text.Json;
using MarketFeed.Venues.Kraken.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Kraken.Emulator;

/// <summary>The Kraken emulator's WebSocket v2 with a bare ClientWebSocket: status, acks and errors per symbol, pong, data, heartbeats and checksums.</summary>
public class KrakenEmulatorStreamTests
{
    [Fact]
    public async Task A_connection_gets_status_then_one_ack_or_error_per_symbol_and_the_snapshot()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions());
        await using KrakenTestSocket socket = await KrakenTestSocket.ConnectAsync(emulator.StreamUrl);
        JsonElement status = await socket.ReceiveJsonAsync();
        Assert.True(KrakenTestSocket.IsChannel(status, "status"));
        Assert.Equal("online", status.GetProperty("data")[0].GetProperty("system").GetString());

        await socket.SendAsync("""{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD","XYZ/USD"]},"req_id":5}""");
        JsonElement ack = await socket.ReceiveJsonAsync();
        Assert.True(ack.GetProperty("success").GetBoolean());
        Assert.Equal(("subscribe", "ticker", "BTC/USD", 5), (ack.GetProperty("method").GetString(), ack.GetProperty("result").GetProperty("channel").GetString(),
            ack.GetProperty("result").GetProperty("symbol").GetString(), ack.GetProperty("req_id").GetInt32()));
        JsonElement snapshot = await socket.ReceiveJsonAsync();
        Assert.Equal(("ticker", "snapshot"), (snapshot.GetProperty("channel").GetString(), snapshot.GetProperty("type").GetString()));
        JsonElement error = await socket.ReceiveJsonAsync();
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal(("XYZ/USD", "Currency pair not supported XYZ/USD"), (error.GetProperty("symbol").GetString(), error.GetProperty("error").GetString()));

        await socket.SendAsync("""{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"]},"req_id":6}""");
        JsonElement again = await socket.NextAsync(m => m.TryGetProperty("req_id", out _));
        Assert.Equal("Already subscribed", again.GetProperty("error").GetString());

        await socket.SendAsync("""{"method":"ping","req_id":101}""");
        JsonElement pong = await socket.NextAsync(m => m.TryGetProperty("method", out JsonElement x) && x.GetString() == "pong");
        Assert.Equal(101, pong.GetProperty("req_id").GetInt32());

        await socket.SendAsync("""{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":7}""");
        JsonElement notFound = await socket.NextAsync(m => m.TryGetProperty("req_id", out JsonElement id) && id.GetInt32() == 7);
        Assert.Equal(("Subscription Not Found", "BTC/USD"), (notFound.GetProperty("error").GetString(), notFound.GetProperty("symbol").GetString()));
    }

    [Fact]
    public async Task Trades_carry_sequential_ids_and_a_quiet_subscribed_connection_gets_heartbeats()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 50 });
        await using KrakenTestSocket socket = await KrakenTestSocket.ConnectAsync(emulator.StreamUrl);
        await socket.SendAsync("""{"method":"subscribe","params":{"channel":"trade","symbol":["ETH/USD"],"snapshot":false},"req_id":1}""");
        var ids = new List<long>();
        while (ids.Count < 20)
        {
            JsonElement trade = await socket.NextAsync(m => KrakenTestSocket.IsChannel(m, "trade") && m.GetProperty("type").GetString() == "update");
            foreach (JsonElement item in trade.GetProperty("data").EnumerateArray())
            {
                Assert.Equal("ETH/USD", item.GetProperty("symbol").GetString());
                Assert.Equal(8, item.GetProperty("qty").GetRawText().Split('.')[1].Length);
                ids.Add(item.GetProperty("trade_id").GetInt64());
            }
        }

        Assert.True(ids.Zip(ids.Skip(1)).All(p => p.Second == p.First + 1));

        emulator.Freeze(true);
        await socket.NextAsync(m => KrakenTestSocket.IsChannel(m, "heartbeat"));
    }

    [Fact]
    public async Task Every_book_update_checksum_matches_the_book_built_from_the_text_and_badchecksum_spoils_one()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        await using KrakenTestSocket socket = await KrakenTestSocket.ConnectAsync(emulator.StreamUrl);
        await socket.SendAsync("""{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10,"snapshot":true},"req_id":1}""");
        JsonElement ack = await socket.NextAsync(m => m.TryGetProperty("req_id", out _));
        Assert.Equal(10, ack.GetProperty("result").GetProperty("depth").GetInt32());

        var book = new KrakenTextBook(10);
        JsonElement snapshot = await socket.NextAsync(m => KrakenTestSocket.IsChannel(m, "book"));
        Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
        Assert.True(book.Apply(snapshot.GetProperty("data")[0], snapshot: true));
        Assert.Equal((10, 10), (book.Bids, book.Asks));
        for (int i = 0; i < 50; i++)
        {
            JsonElement update = await socket.NextAsync(m => KrakenTestSocket.IsChannel(m, "book"));
            Assert.True(book.Apply(update.GetProperty("data")[0], snapshot: false), $"update {i}: {update}");
        }

        emulator.SetFaults("badchecksum");
        JsonElement spoiled = await socket.NextAsync(m => KrakenTestSocket.IsChannel(m, "book"));
        Assert.False(book.Apply(spoiled.GetProperty("data")[0], snapshot: false));
        Assert.Equal(1, emulator.BadChecksumsSent);

        // Only that one: the next update checks again (the levels were right all along).
        JsonElement next = await socket.NextAsync(m => KrakenTestSocket.IsChannel(m, "book"));
        Assert.True(book.Apply(next.GetProperty("data")[0], snapshot: false));
    }

    [Fact]
    public async Task Too_many_requests_a_second_are_refused_with_krakens_text_and_the_connection_closed()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { MaxIncomingMessagesPerSecond = 3 });
        await using KrakenTestSocket socket = await KrakenTestSocket.ConnectAsync(emulator.StreamUrl);
        for (int i = 1; i <= 4; i++)
        {
            await socket.SendAsync($$"""{"method":"ping","req_id":{{i}}}""");
        }

        JsonElement refused = await socket.NextAsync(m => m.TryGetProperty("error", out _));
        Assert.Equal("Exceeded msg rate", refused.GetProperty("error").GetString());
        Assert.Null(await DrainAsync(socket));
    }

    [Fact]
    public async Task An_unknown_fault_names_krakens_own()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions());
        Assert.Contains("badchecksum", Assert.Throws<ArgumentException>(() => emulator.SetFaults("nosuchfault")).Message, StringComparison.Ordinal);
        Assert.Contains("badchecksum=pending", emulator.SetFaults("badchecksum"), StringComparison.Ordinal);
    }

    private static async Task<string?> DrainAsync(KrakenTestSocket socket)
    {
        while (true)
        {
            string? text = await socket.ReceiveAsync(TimeSpan.FromSeconds(10));
            if (text is null)
            {
                return null;
            }
        }
    }
}
