using System.Collections.Concurrent;
using System.Net;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;
using MarketFeed.Venues.Kraken;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>The REST client against a real HTTP server on 127.0.0.1 serving canned Kraken answers: its envelope, rate-limit retries and errors.</summary>
public class KrakenRestClientTests
{
    [Fact]
    public async Task A_rate_limit_answer_pauses_then_retries_and_other_errors_are_thrown_with_krakens_text()
    {
        var answers = new ConcurrentQueue<(int Status, string Body)>();
        var requests = new ConcurrentQueue<string>();
        await using LoopbackServer server = await LoopbackServer.StartAsync(c =>
        {
            requests.Enqueue(c.Request.Path + c.Request.QueryString);
            (int status, string body) = answers.TryDequeue(out var next) ? next : (200, """{"error":[],"result":{}}""");
            c.Response.StatusCode = status;
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync(body);
        });
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var options = new KrakenOptions { RestUrl = server.HttpBase, RestRequestsPerSecond = 20 };
        using var client = new KrakenRestClient(() => options, clock);

        answers.Enqueue((200, """{"error":["EAPI:Rate limit exceeded"]}"""));
        answers.Enqueue((200, KrakenPairsJson.Sample));
        Task<byte[]> pairs = client.GetAssetPairsAsync(CancellationToken.None);
        while (!pairs.IsCompleted)
        {
            // The pause after the refusal runs on the client's clock.
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.Equal(3, KrakenAssetPairs.Parse(await pairs, "kraken").Pairs.Count);
        Assert.Equal((1L, 2L), (client.RateLimited, client.Calls));

        // Each call waits for its slot of the rate gate on the same clock.
        clock.Advance(TimeSpan.FromSeconds(1));
        answers.Enqueue((200, """{"error":["EQuery:Unknown asset pair"]}"""));
        var refused = await Assert.ThrowsAsync<KrakenRestException>(() => client.GetAssetPairsAsync(CancellationToken.None));
        Assert.Equal("EQuery:Unknown asset pair", refused.Errors);

        answers.Enqueue((500, "<html>"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var failed = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAssetPairsAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
    }

    [Fact]
    public async Task Ohlc_asks_for_the_bars_before_the_end_and_leaves_out_the_one_forming()
    {
        var requests = new ConcurrentQueue<string>();
        await using LoopbackServer server = await LoopbackServer.StartAsync(c =>
        {
            requests.Enqueue(c.Request.Path + c.Request.QueryString);
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync("""
                {"error":[],"result":{"XXBTZUSD":[
                  [1795147200,"90000.0","90010.5","89990.1","90005.0","90001.2","1.50000000",12],
                  [1795147260,"90005.0","90006.0","90001.0","90002.0","90003.0","0.25000000",3],
                  [1795147320,"90002.0","90002.0","90002.0","90002.0","90002.0","0.00000000",0]],"last":1795147260}}
                """);
        });
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1795147330));
        var options = new KrakenOptions { RestUrl = server.HttpBase };
        using var client = new KrakenRestClient(() => options, clock);
        var bars = await client.GetOhlcAsync("XXBTZUSD", MarketFeed.Candles.CandleInterval.OneMinute, clock.GetUtcNow().UtcDateTime, 5, CancellationToken.None);

        Assert.Equal(2, bars.Count);
        Assert.Equal((90010.5m, 89990.1m, 1.5m, 12), (bars[0].High.ToDecimal(), bars[0].Low.ToDecimal(), bars[0].Volume.ToDecimal(), bars[0].Ticks));
        Assert.Equal("/0/public/OHLC?pair=XXBTZUSD&interval=1&since=1795146970", Assert.Single(requests));
    }
}
