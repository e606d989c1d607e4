using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Streaming;

public class ChainStreamingTests
{
    [Fact]
    public async Task The_chain_channel_sends_a_snapshot_then_the_strikes_that_changed_in_sequence()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NIFTY" }, channels = new[] { "chain:nearest:2" } });
        JsonElement ack = (await ReceiveAsync(socket))!.Value;
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.StartsWith("NIFTY:", ack.GetProperty("chains")[0].GetString());

        JsonElement snapshot = (await ReceiveAsync(socket))!.Value;
        Assert.Equal(("chain", true), (snapshot.GetProperty("type").GetString(), snapshot.GetProperty("snapshot").GetBoolean()));
        Assert.Equal(5, snapshot.GetProperty("strikes").GetArrayLength());
        long seq = snapshot.GetProperty("seq").GetInt64();

        int updates = 0;
        while (updates < 5)
        {
            JsonElement message = (await ReceiveAsync(socket))!.Value;
            Assert.Equal("chain", message.GetProperty("type").GetString());
            long next = message.GetProperty("seq").GetInt64();
            Assert.True(next > seq, $"seq {next} after {seq}");
            if (!message.GetProperty("snapshot").GetBoolean())
            {
                JsonElement[] strikes = [.. message.GetProperty("strikes").EnumerateArray()];
                Assert.InRange(strikes.Length, 1, 5);
                Assert.All(strikes, s => Assert.InRange(s.GetProperty("seq").GetInt64(), seq + 1, next));
                updates++;
            }

            seq = next;
        }

        await SendAsync(socket, new { op = "unsubscribe", symbols = new[] { "NIFTY" }, channels = new[] { "chain" } });
        JsonElement stopped = (await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "ack"))[^1];
        Assert.Equal(ack.GetProperty("chains")[0].GetString(), stopped.GetProperty("chains")[0].GetString());
    }

    [Fact]
    public async Task A_bad_chain_request_is_an_error_message_naming_what_exists()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY" }, channels = new[] { "chain" } });
        JsonElement error = (await ReceiveAsync(socket))!.Value;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("NSE:INFY has no options listed; underlyings with options: BANKNIFTY, NIFTY", error.GetProperty("message").GetString());

        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NIFTY" }, channels = new[] { "chain", "ticks" } });
        Assert.Contains("cannot be combined", (await ReceiveAsync(socket))!.Value.GetProperty("message").GetString());
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NIFTY" }, channels = new[] { "chain:nearest:500" } });
        Assert.Contains("strikes must be a whole number from 1 to 100", (await ReceiveAsync(socket))!.Value.GetProperty("message").GetString());
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NIFTY" }, channels = new[] { "chain:nearest::depth" } });
        Assert.Contains("mode must be ltp, quote or full", (await ReceiveAsync(socket))!.Value.GetProperty("message").GetString());

        // In the mode asked: the chain's options are subscribed in full.
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "BANKNIFTY" }, channels = new[] { "chain:nearest:1:full" } });
        Assert.Equal("ack", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        JsonElement snapshot = (await ReceiveAsync(socket))!.Value;
        // The window follows the index (it may have moved since the snapshot): the snapshot's options that are still
        // subscribed — at least one, the strike both windows share or the new ones' neighbours — are subscribed in full.
        string[] symbols = [.. snapshot.GetProperty("strikes").EnumerateArray()
            .SelectMany(r => new[] { r.GetProperty("call"), r.GetProperty("put") }).Select(side => side.GetProperty("symbol").GetString()!)];
        MarketFeed.Model.FeedMode?[] modes = [];
        DateTime until = DateTime.UtcNow.AddSeconds(15);
        do
        {
            await Task.Delay(50);
            modes = [.. symbols.Select(s => f.Gateway.Host.Instruments.TryGetBySymbol(s, out MarketFeed.Instruments.Instrument? i) ? f.Gateway.Host.Subscriptions.EffectiveMode(i!.Id) : null)];
        }
        while (!modes.Any(m => m is not null) && DateTime.UtcNow < until);

        Assert.Contains(modes, m => m is not null);
        Assert.All(modes.Where(m => m is not null), m => Assert.Equal(MarketFeed.Model.FeedMode.Full, m));
    }

    [Fact]
    public async Task Server_sent_events_stream_a_chain_and_refuse_an_unknown_expiry_before_starting()
    {
        await using GatewayFixture f = await StartAsync();
        await Api.MarketDataApiTests.AssertProblemAsync(
            await f.Http.GetAsync("/api/stream?symbols=NIFTY&channels=chain:2000-01-04"), HttpStatusCode.NotFound, "expiries listed:");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream?symbols=BANKNIFTY&channels=chain:nearest:2");
        using HttpResponseMessage response = await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        List<(string Event, JsonElement Data)> events = await ServerSentEvents.ReadUntilAsync(reader, read => read.Count(e => e.Event == "chain") >= 3 && read.Any(e => e.Event == "chain" && e.Data.GetProperty("basis").GetString() == "future"));

        Assert.Equal("ack", events[0].Event);
        JsonElement[] chains = [.. events.Where(e => e.Event == "chain").Select(e => e.Data)];
        Assert.True(chains[0].GetProperty("snapshot").GetBoolean());
        Assert.Equal("NSE:NIFTY BANK", chains[0].GetProperty("underlying").GetString());

        // Priced on spot until the future's first price, then Black-76 on the future of the expiry.
        Assert.Matches("^NFO:BANKNIFTY[0-9]{2}[A-Z]{3}FUT$", chains[0].GetProperty("future").GetString());
        Assert.True(chains.Zip(chains.Skip(1)).All(p => p.Second.GetProperty("seq").GetInt64() > p.First.GetProperty("seq").GetInt64()));
    }
}
