using System.Text.Json;
using MarketFeed.Venues.Coinbase.Emulator;

namespace MarketFeed.Emulators.Tests.Venues.Coinbase.Emulator;

/// <summary>The Coinbase emulator's WebSocket, spoken to with a bare ClientWebSocket: what a Coinbase client would see.</summary>
public sealed class CoinbaseEmulatorStreamTests : IAsyncLifetime
{
    private CoinbaseEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 50, LevelsPerSide = 20 });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private static string Channel(JsonElement m) => m.TryGetProperty("channel", out JsonElement c) ? c.GetString()! : "";

    [Fact]
    public async Task A_subscribe_is_answered_with_subscriptions_then_a_snapshot_then_updates_all_numbered_one_by_one()
    {
        await using CoinbaseTestSocket socket = await CoinbaseTestSocket.ConnectAsync(_emulator.StreamUrl);
        await socket.SendAsync("""{"type":"subscribe","channel":"heartbeats"}""");
        await socket.SendAsync("""{"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}""");
        await socket.SendAsync("""{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"market_trades"}""");
        List<JsonElement> messages = await socket.UntilAsync(m => Channel(m) == "heartbeats");
        messages.AddRange(await socket.UntilAsync(m => Channel(m) == "market_trades" && m.GetProperty("events")[0].GetProperty("type").GetString() == "update"));

        // Numbered from 0 across channels, one by one.
        Assert.Equal(Enumerable.Range(0, messages.Count).Select(i => (long)i), messages.Select(m => m.GetProperty("sequence_num").GetInt64()));
        JsonElement subscriptions = messages.Last(m => Channel(m) == "subscriptions").GetProperty("events")[0].GetProperty("subscriptions");
        Assert.Equal(["BTC-USD"], subscriptions.GetProperty("level2").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, subscriptions.GetProperty("heartbeats").GetArrayLength());

        JsonElement snapshot = messages.First(m => Channel(m) == "l2_data").GetProperty("events")[0];
        Assert.Equal(("snapshot", "BTC-USD"), (snapshot.GetProperty("type").GetString(), snapshot.GetProperty("product_id").GetString()));
        Assert.Equal(40, snapshot.GetProperty("updates").GetArrayLength());
        Assert.All(snapshot.GetProperty("updates").EnumerateArray(), u => Assert.Contains(u.GetProperty("side").GetString(), new[] { "bid", "offer" }));

        JsonElement trades = messages[^1].GetProperty("events")[0].GetProperty("trades");
        Assert.All(trades.EnumerateArray(), t =>
        {
            Assert.Contains(t.GetProperty("product_id").GetString(), new[] { "BTC-USD", "ETH-USD" });
            Assert.Contains(t.GetProperty("side").GetString(), new[] { "BUY", "SELL" });
            Assert.True(decimal.Parse(t.GetProperty("price").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        });
        JsonElement beat = messages.First(m => Channel(m) == "heartbeats").GetProperty("events")[0];
        Assert.True(beat.GetProperty("heartbeat_counter").GetInt64() >= 1);
    }

    [Fact]
    public async Task Seqgap_skips_one_number_on_every_connection_once()
    {
        await using CoinbaseTestSocket socket = await CoinbaseTestSocket.ConnectAsync(_emulator.StreamUrl);
        await socket.SendAsync("""{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}""");
        List<JsonElement> before = await socket.UntilAsync(m => m.GetProperty("sequence_num").GetInt64() >= 3);
        _emulator.SetFaults("seqgap");
        var numbers = new List<long> { before[^1].GetProperty("sequence_num").GetInt64() };
        for (int i = 0; i < 6; i++)
        {
            numbers.Add((await socket.NextAsync()).GetProperty("sequence_num").GetInt64());
        }

        Assert.Equal(1, numbers.Zip(numbers.Skip(1)).Count(p => p.Second == p.First + 2));
        Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.Second - p.First is 1 or 2));
    }

    [Fact]
    public async Task Refused_and_unknown_products_get_an_error_message_naming_them()
    {
        _emulator.SetFaults("reject=ETH-USD");
        await using CoinbaseTestSocket socket = await CoinbaseTestSocket.ConnectAsync(_emulator.StreamUrl);
        await socket.SendAsync("""{"type":"subscribe","product_ids":["ETH-USD","BTC-USD"],"channel":"ticker"}""");
        JsonElement error = await socket.NextAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Contains("ETH-USD", error.GetProperty("message").GetString());
        JsonElement subscriptions = await socket.NextAsync();
        Assert.Equal(["BTC-USD"], subscriptions.GetProperty("events")[0].GetProperty("subscriptions").GetProperty("ticker").EnumerateArray().Select(p => p.GetString()));

        await socket.SendAsync("""{"type":"subscribe","product_ids":["NOPE-USD"],"channel":"ticker"}""");
        List<JsonElement> seen = await socket.UntilAsync(m => m.TryGetProperty("type", out JsonElement t) && t.GetString() == "error");
        Assert.Contains("NOPE-USD", seen[^1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_connection_that_subscribes_to_nothing_is_closed_and_one_that_floods_is_told_and_closed()
    {
        await using CoinbaseEmulator strict = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { SubscribeDeadline = TimeSpan.FromMilliseconds(300) });
        await using (CoinbaseTestSocket idle = await CoinbaseTestSocket.ConnectAsync(strict.StreamUrl))
        {
            Assert.Null(await idle.ReceiveAsync(TimeSpan.FromSeconds(5)));
        }

        await using CoinbaseTestSocket flood = await CoinbaseTestSocket.ConnectAsync(_emulator.StreamUrl);
        for (int i = 0; i < 9; i++)
        {
            await flood.SendAsync("""{"type":"subscribe","channel":"heartbeats"}""");
        }

        string? last = null;
        for (string? text = await flood.ReceiveAsync(); text is not null; text = await flood.ReceiveAsync())
        {
            last = text;
        }

        Assert.Contains("too many", last);
    }

    [Fact]
    public async Task Unsubscribe_stops_a_channel_and_the_subscriptions_message_says_so()
    {
        await using CoinbaseTestSocket socket = await CoinbaseTestSocket.ConnectAsync(_emulator.StreamUrl);
        await socket.SendAsync("""{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}""");
        await socket.UntilAsync(m => Channel(m) == "market_trades");
        await socket.SendAsync("""{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"market_trades"}""");
        await socket.UntilAsync(m => Channel(m) == "subscriptions");
        await socket.SendAsync("""{"type":"subscribe","channel":"heartbeats"}""");
        List<JsonElement> after = await socket.UntilAsync(m => Channel(m) == "heartbeats");
        Assert.DoesNotContain(after.Skip(1), m => Channel(m) == "market_trades");
    }
}
