using System.Net;
using System.Text.Json;
using MarketFeed.Server.Tests.TestSupport;

namespace MarketFeed.Server.Tests.Streaming;

public class ServerSentEventsTests
{
    [Fact]
    public async Task The_stream_sends_tick_and_candle_events_for_the_requested_symbols()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream?symbols=NSE:INFY,BINANCE:BTCUSDT&channels=ticks,candles:1s");
        using HttpResponseMessage response = await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        List<(string Event, JsonElement Data)> events = await ServerSentEvents.ReadUntilAsync(reader, read => read.Count(e => e.Event == "candle") >= 2 && read.Any(e => e.Event == "tick" && e.Data.GetProperty("symbol").GetString() == "BINANCE:BTCUSDT"));

        Assert.Equal("ack", events[0].Event);
        Assert.All(events.Skip(1), e => Assert.Equal(e.Event, e.Data.GetProperty("type").GetString()));
        Assert.All(events.Skip(1), e => Assert.Contains(e.Data.GetProperty("symbol").GetString(), new[] { "NSE:INFY", "BINANCE:BTCUSDT" }));
    }

    [Fact]
    public async Task An_unknown_symbol_is_a_problem_before_the_stream_starts()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        await Api.MarketDataApiTests.AssertProblemAsync(await f.Http.GetAsync("/api/stream?symbols=NSE:INFX"), HttpStatusCode.NotFound, "did you mean NSE:INFY");
        await Api.MarketDataApiTests.AssertProblemAsync(await f.Http.GetAsync("/api/stream"), HttpStatusCode.BadRequest, "?symbols=");
    }
}
