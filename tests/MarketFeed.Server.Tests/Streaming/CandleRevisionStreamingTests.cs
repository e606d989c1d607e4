using System.Net.WebSockets;
using System.Text.Json;
using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using static MarketFeed.Server.Tests.TestSupport.GatewayFixture;

namespace MarketFeed.Server.Tests.Streaming;

/// <summary>A revised closed bar reaches <c>/ws</c> and SSE candle channels as a <c>candleRevised</c> message with old and new values.</summary>
public class CandleRevisionStreamingTests
{
    private static readonly CandleInterval S1 = CandleInterval.Parse("1s");

    [Fact]
    public async Task A_websocket_client_on_the_candle_channel_gets_the_old_and_new_values_of_a_revised_bar()
    {
        await using GatewayFixture f = await StartAsync();
        using ClientWebSocket socket = await f.ConnectAsync();
        await SendAsync(socket, new { op = "subscribe", symbols = new[] { "NSE:INFY" }, channels = new[] { "candles:1s" } });
        List<JsonElement> before = await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "candle" && m.GetProperty("closed").GetBoolean());
        Assert.All(before.Where(m => m.GetProperty("type").GetString() == "candle"), m => Assert.Equal("live", m.GetProperty("origin").GetString()));

        Candle live = await ReviseLatestAsync(f);
        JsonElement revised = (await ReceiveUntilAsync(socket, m => m.GetProperty("type").GetString() == "candleRevised"))[^1];

        AssertRevision(revised, live);
    }

    [Fact]
    public async Task An_SSE_client_on_the_candle_channel_gets_a_candleRevised_event()
    {
        await using GatewayFixture f = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream?symbols=NSE:INFY&channels=candles:1s");
        using HttpResponseMessage response = await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ServerSentEvents.ReadUntilAsync(reader, read => read.Any(e => e.Event == "candle" && e.Data.GetProperty("closed").GetBoolean()));

        Candle live = await ReviseLatestAsync(f);
        List<(string Event, JsonElement Data)> events = await ServerSentEvents.ReadUntilAsync(reader, read => read.Any(e => e.Event == "candleRevised"));

        AssertRevision(events.Single(e => e.Event == "candleRevised").Data, live);
    }

    /// <summary>Replaces the latest closed 1 s bar of INFY with one 1.00 higher; returns the live bar it replaced.</summary>
    private static async Task<Candle> ReviseLatestAsync(GatewayFixture f)
    {
        Instrument infy = f.Gateway.Host.Resolve("NSE:INFY");
        Candle live = (await f.Gateway.Host.Hub.GetCandlesAsync(infy.Id, S1, 1)).Closed[^1];
        Candle official = live with { High = live.High + Price.FromDecimal(1m), Flags = CandleFlags.Closed | CandleFlags.Revised };
        Assert.Equal(1, await f.Gateway.Host.Hub.ApplyCandleRevisionsAsync(infy, S1, [official], CancellationToken.None));
        return live;
    }

    private static void AssertRevision(JsonElement message, Candle live)
    {
        Assert.Equal(("NSE:INFY", "1s"), (message.GetProperty("symbol").GetString(), message.GetProperty("interval").GetString()));
        JsonElement old = message.GetProperty("old");
        JsonElement replacement = message.GetProperty("new");
        Assert.Equal(old.GetProperty("start").GetString(), replacement.GetProperty("start").GetString());
        Assert.Equal(live.High.ToDecimal(), old.GetProperty("high").GetDecimal());
        Assert.Equal(live.High.ToDecimal() + 1m, replacement.GetProperty("high").GetDecimal());
        Assert.Equal(("live", "revised"), (old.GetProperty("origin").GetString(), replacement.GetProperty("origin").GetString()));
        Assert.True(message.GetProperty("seq").GetInt64() > 0);
    }
}
