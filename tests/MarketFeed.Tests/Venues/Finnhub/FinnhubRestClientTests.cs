using System.Collections.Concurrent;
using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;
using MarketFeed.Venues.Finnhub;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Tests.Venues.Finnhub;

/// <summary>The REST client against a real HTTP server on 127.0.0.1 serving canned Finnhub answers.</summary>
public class FinnhubRestClientTests
{
    private const string Token = "secret-token-123";

    private sealed class Canned : IAsyncDisposable
    {
        private LoopbackServer _server = null!;

        public ConcurrentQueue<(string Url, string Token)> Requests { get; } = new();

        public FinnhubOptions Options { get; private set; } = null!;

        public static async Task<Canned> StartAsync(Func<HttpContext, Task> respond)
        {
            var canned = new Canned();
            canned._server = await LoopbackServer.StartAsync(c =>
            {
                canned.Requests.Enqueue((c.Request.Path + c.Request.QueryString, c.Request.Headers["X-Finnhub-Token"].ToString()));
                return respond(c);
            });
            canned.Options = new FinnhubOptions { Token = Token, RestUrl = canned._server.HttpBase + "/api/v1", CallsPerMinute = 1800 };
            return canned;
        }

        public FinnhubRestClient Client(TimeProvider? time = null) => new(() => Options, time ?? TimeProvider.System) { Symbols = id => id.Value switch { 1 => "AAPL", 2 => "MSFT", 3 => "TSLA", _ => null } };

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private static Task Json(HttpContext context, string body, int status = 200, long? reset = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (reset is { } seconds)
        {
            context.Response.Headers["X-RateLimit-Reset"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task A_quote_becomes_a_poll_tick_and_the_token_goes_in_the_header_only()
    {
        await using Canned server = await Canned.StartAsync(c => Json(c, "{\"c\":261.74,\"d\":2.29,\"dp\":0.8826,\"h\":263.31,\"l\":260.68,\"o\":261.07,\"pc\":259.45,\"t\":1582641000}"));
        using FinnhubRestClient client = server.Client();

        Tick tick = Assert.Single(await client.PollAsync([new InstrumentId(1)], CancellationToken.None));

        Assert.Equal(("/api/v1/quote?symbol=AAPL", Token), Assert.Single(server.Requests));
        Assert.Equal((TickSource.Poll, TickFields.Trade | TickFields.DayStats), (tick.Source, tick.Updates));
        Assert.Equal([261.74m, 261.07m, 263.31m, 260.68m, 259.45m], new[] { tick.Ltp, tick.Open, tick.High, tick.Low, tick.Close }.Select(p => p.ToDecimal()));
        Assert.False(tick.Ltq.HasValue);
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1582641000), tick.ExchangeTime);
    }

    [Fact]
    public async Task An_unknown_symbols_zero_quote_gives_no_tick()
    {
        await using Canned server = await Canned.StartAsync(c => Json(c, "{\"c\":0,\"d\":null,\"dp\":null,\"h\":0,\"l\":0,\"o\":0,\"pc\":0,\"t\":0}"));
        using FinnhubRestClient client = server.Client();

        Assert.Empty(await client.PollAsync([new InstrumentId(1)], CancellationToken.None));
    }

    [Fact]
    public async Task Polling_rounds_take_turns_within_the_call_budget_of_their_interval()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        await using Canned server = await Canned.StartAsync(c => Json(c, "{\"c\":1.5,\"h\":1.5,\"l\":1.5,\"o\":1.5,\"pc\":1.5,\"t\":1582641000}"));
        server.Options.CallsPerMinute = 60;
        server.Options.PollInterval = TimeSpan.FromSeconds(2);
        using FinnhubRestClient client = server.Client(clock);
        InstrumentId[] wanted = [new(1), new(2), new(3)];

        Assert.Equal(2, client.QuotesPerRound);
        Task<IReadOnlyList<Tick>> round = client.PollAsync(wanted, CancellationToken.None);
        await SimulatedHost.WaitUntil(() => server.Requests.Count == 1);

        // One call a second: the second waits for the clock.
        await Task.Delay(200);
        Assert.Single(server.Requests);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await round.WaitAsync(TimeSpan.FromSeconds(10))).Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Task<IReadOnlyList<Tick>> next = client.PollAsync(wanted, CancellationToken.None);
        await SimulatedHost.WaitUntil(() => server.Requests.Count == 3);
        clock.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["MSFT", "TSLA", "AAPL", "MSFT"], server.Requests.Select(r => r.Url.Split('=')[1]));
    }

    [Fact]
    public async Task A_429_pauses_until_finnhubs_reset_and_is_retried()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 30, TimeSpan.Zero));
        int calls = 0;
        await using Canned server = await Canned.StartAsync(c => Interlocked.Increment(ref calls) == 1
            ? Json(c, "{\"error\":\"API limit reached. Please try again later. Remaining Limit: 0\"}", 429, reset: clock.GetUtcNow().ToUnixTimeSeconds() + 20)
            : Json(c, "{\"c\":2,\"h\":2,\"l\":2,\"o\":2,\"pc\":2,\"t\":1582641000}"));
        using FinnhubRestClient client = server.Client(clock);

        Task<(long, long, long, long, long, DateTime)?> quote = client.GetQuoteAsync("AAPL", CancellationToken.None);
        await SimulatedHost.WaitUntil(() => client.RateLimited == 1);
        await Task.Delay(200);
        Assert.Single(server.Requests);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.NotNull(await quote.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(401, "{\"error\":\"Invalid API key " + Token + "\"}")]
    [InlineData(429, "API limit reached. Please sign up for a free account to get 60 API calls/minute.")]
    public async Task Rejected_credentials_are_an_authentication_failure_that_never_shows_the_token(int status, string body)
    {
        await using Canned server = await Canned.StartAsync(c => Json(c, body, status));
        using FinnhubRestClient client = server.Client();

        var e = await Assert.ThrowsAsync<AuthenticationRejectedException>(() => client.GetQuoteAsync("AAPL", CancellationToken.None));

        Assert.Contains("Finnhub:Token", e.Message);
        Assert.DoesNotContain(Token, e.Message);
        Assert.DoesNotContain(Token, server.Requests.Single().Url);
    }

    [Fact]
    public async Task A_403_on_candles_is_not_in_the_plan_and_ok_candles_are_exact()
    {
        bool premium = false;
        await using Canned server = await Canned.StartAsync(c => Volatile.Read(ref premium)
            ? Json(c, "{\"c\":[10.5,11],\"h\":[11,11.25],\"l\":[10,10.75],\"o\":[10.25,10.5],\"s\":\"ok\",\"t\":[1763800020,1763800080],\"v\":[300,0.5]}")
            : Json(c, "{\"error\":\"You don't have access to this resource.\"}", 403));
        using FinnhubRestClient client = server.Client();
        DateTime to = new(2025, 11, 22, 9, 0, 0, DateTimeKind.Utc);

        var refused = await Assert.ThrowsAsync<FinnhubPlanException>(() => client.GetCandlesAsync(FinnhubSymbolKind.Stock, "AAPL", CandleInterval.OneMinute, to.AddHours(-1), to, CancellationToken.None));
        Assert.Contains("403", refused.Message);
        Assert.StartsWith("/api/v1/stock/candle?symbol=AAPL&resolution=1&from=", server.Requests.Single().Url);

        Volatile.Write(ref premium, true);
        IReadOnlyList<Candle> candles = await client.GetCandlesAsync(FinnhubSymbolKind.Crypto, "BINANCE:BTCUSDT", CandleInterval.OneMinute, to.AddHours(-1), to, CancellationToken.None);
        Assert.Equal(2, candles.Count);
        Assert.Equal((DateTime.UnixEpoch.AddSeconds(1763800020), 10.25m, 11m, 10m, 10.5m, 300m),
            (candles[0].Start, candles[0].Open.ToDecimal(), candles[0].High.ToDecimal(), candles[0].Low.ToDecimal(), candles[0].Close.ToDecimal(), candles[0].Volume.ToDecimal()));
        Assert.Equal(TimeSpan.FromMinutes(1), candles[1].End - candles[1].Start);
        Assert.Contains("/api/v1/crypto/candle?symbol=BINANCE%3ABTCUSDT", server.Requests.Last().Url);
    }

    [Fact]
    public void Calls_per_minute_past_finnhubs_30_a_second_are_refused_by_validation()
    {
        var e = Assert.Throws<FeedConfigurationException>(() => new FinnhubOptions { CallsPerMinute = 5000 }.Validate());
        Assert.Contains("Finnhub:CallsPerMinute", e.Message);
    }
}
