using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;
using MarketFeed.Venues.Binance;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Tests.Venues.Binance;

/// <summary>The REST client against a real HTTP server on 127.0.0.1 serving canned Binance responses.</summary>
public class BinanceRestClientTests
{
    private static readonly InstrumentId s_btc = new(1);

    private sealed class Canned : IAsyncDisposable
    {
        private LoopbackServer _server = null!;

        public ConcurrentQueue<string> Requests { get; } = new();

        public Func<HttpContext, Task> Respond { get; set; } = c => Json(c, "{}");

        public BinanceOptions Options { get; private set; } = null!;

        public static async Task<Canned> StartAsync(Func<HttpContext, Task> respond)
        {
            var canned = new Canned { Respond = respond };
            canned._server = await LoopbackServer.StartAsync(c =>
            {
                canned.Requests.Enqueue(c.Request.Path + c.Request.QueryString);
                return canned.Respond(c);
            });
            canned.Options = new BinanceOptions { RestUrl = canned._server.HttpBase, RestRequestsPerSecond = 1000 };
            return canned;
        }

        public BinanceRestClient Client(TimeProvider? time = null) => new(() => Options, time ?? TimeProvider.System);

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private static Task Json(HttpContext context, string body, int status = 200, int? usedWeight = null, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (usedWeight is { } used)
        {
            context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = used.ToString(CultureInfo.InvariantCulture);
        }

        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task A_depth_snapshot_is_a_snapshot_message_whose_update_ids_are_its_last_update_id()
    {
        await using Canned server = await Canned.StartAsync(c => Json(c, """{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}""", usedWeight: 30));
        using BinanceRestClient client = server.Client();
        BookUpdate book = await client.GetDepthSnapshotAsync(s_btc, "BTCUSDT", 500, CancellationToken.None);

        Assert.Equal("/api/v3/depth?symbol=BTCUSDT&limit=500", Assert.Single(server.Requests));
        Assert.Equal((s_btc, true, 1027024L, 1027024L), (book.Instrument, book.IsSnapshot, book.FirstUpdateId, book.LastUpdateId));
        Assert.Same(UpdateIdContinuity.Instance, book.Continuity);
        Assert.Equal([new BookLevelChange(Price.FromDecimal(4m), Quantity.FromUnits(431))], book.Bids.ToArray());
        Assert.Equal([new BookLevelChange(Price.FromDecimal(4.000002m), Quantity.FromUnits(12))], book.Asks.ToArray());
        Assert.Equal(30, client.Weight.UsedThisMinute);
        BookUpdate.Return(book);
        Assert.Equal((5, 25, 50, 250), (BinanceRestClient.DepthWeight(100), BinanceRestClient.DepthWeight(500), BinanceRestClient.DepthWeight(1000), BinanceRestClient.DepthWeight(5000)));
    }

    [Fact]
    public async Task Klines_page_forward_on_the_utc_grid_and_only_closed_bars_up_to_the_end_are_returned()
    {
        await using Canned server = await Canned.StartAsync(c =>
        {
            long start = long.Parse(c.Request.Query["startTime"]!, CultureInfo.InvariantCulture);
            long end = long.Parse(c.Request.Query["endTime"]!, CultureInfo.InvariantCulture);
            int limit = int.Parse(c.Request.Query["limit"]!, CultureInfo.InvariantCulture);
            var rows = new List<string>();
            for (long open = start; open <= end && rows.Count < limit; open += 60_000)
            {
                rows.Add($"[{open},\"100.10\",\"101.00000000\",\"99.5\",\"100.25\",\"12.5\",{open + 59_999},\"1250.1\",{rows.Count + 1},\"6\",\"600\",\"0\"]");
            }

            return Json(c, "[" + string.Join(',', rows) + "]");
        });
        using BinanceRestClient client = server.Client();
        var end = new DateTime(2026, 11, 20, 4, 0, 30, DateTimeKind.Utc);
        IReadOnlyList<Candle> candles = await client.GetKlinesAsync("BTCUSDT", CandleInterval.OneMinute, end, 2500, CancellationToken.None);

        Assert.Equal(2500, candles.Count);
        Assert.Equal(new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc), candles[^1].End);
        Assert.Equal(new DateTime(2026, 11, 18, 10, 20, 0, DateTimeKind.Utc), candles[0].Start);
        Assert.True(candles.Zip(candles.Skip(1)).All(p => p.Second.Start == p.First.End));
        Assert.Equal((100.1m, 101m, 99.5m, 100.25m, 12.5m, 1), (candles[0].Open.ToDecimal(), candles[0].High.ToDecimal(), candles[0].Low.ToDecimal(), candles[0].Close.ToDecimal(), candles[0].Volume.ToDecimal(), candles[0].Ticks));
        Assert.All(candles, c => Assert.Equal(CandleFlags.Closed | CandleFlags.History, c.Flags));
        string[] requests = [.. server.Requests];
        Assert.Equal(3, requests.Length);
        Assert.StartsWith("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1794997200000&endTime=1795147140000&limit=1000", requests[0]);
        Assert.EndsWith("limit=500", requests[2]);
        Assert.Equal(6, client.Weight.UsedThisMinute);

        Assert.Empty(await client.GetKlinesAsync("BTCUSDT", CandleInterval.Parse("10m"), end, 5, CancellationToken.None));
        Assert.Equal(["1s", "3m", "4h", "1d"], new[] { "1s", "3m", "4h", "1d" }.Select(i => BinanceRestClient.IntervalName(CandleInterval.Parse(i))));
    }

    [Fact]
    public async Task Polling_reads_book_tickers_and_last_prices_as_poll_updates()
    {
        await using Canned server = await Canned.StartAsync(c => c.Request.Path.Value!.EndsWith("bookTicker", StringComparison.Ordinal)
            ? Json(c, """[{"symbol":"BTCUSDT","bidPrice":"4.00000000","bidQty":"431.00000000","askPrice":"4.00000200","askQty":"9.00000000"}]""")
            : Json(c, """[{"symbol":"BTCUSDT","price":"4.00000100"},{"symbol":"ETHBTC","price":"0.07946600"}]"""));
        using BinanceRestClient client = server.Client();
        client.Symbols = id => id == s_btc ? "BTCUSDT" : id.Value == 2 ? "ETHBTC" : null;

        IReadOnlyList<Tick> ticks = await client.PollAsync([s_btc, new InstrumentId(2), new InstrumentId(3)], CancellationToken.None);
        Assert.Equal("/api/v3/ticker/bookTicker?symbols=%5B%22BTCUSDT%22%2C%22ETHBTC%22%5D", server.Requests.First());
        Assert.Equal(2, ticks.Count);
        Tick btc = ticks[0];
        Assert.Equal((TickFields.Trade | TickFields.TopOfBook, TickSource.Poll, 4.000001m), (btc.Updates, btc.Source, btc.Ltp.ToDecimal()));
        Assert.Equal((4m, 431m, 4.000002m, 9m), (btc.Bid.ToDecimal(), btc.BidQty.ToDecimal(), btc.Ask.ToDecimal(), btc.AskQty.ToDecimal()));
        Assert.False(btc.Ltq.HasValue);
        Assert.Equal(TickFlags.None, btc.Flags);
        Assert.Equal((TickFields.Trade, 0.079466m), (ticks[1].Updates, ticks[1].Ltp.ToDecimal()));
        Assert.Equal(8, client.Weight.UsedThisMinute);
    }

    [Fact]
    public async Task A_429_stops_calls_for_its_retry_after_then_the_request_is_retried()
    {
        int calls = 0;
        await using Canned server = await Canned.StartAsync(c => Interlocked.Increment(ref calls) == 1
            ? Json(c, """{"code":-1003,"msg":"Too many requests."}""", 429, retryAfter: 1)
            : Json(c, """[]"""));
        using BinanceRestClient client = server.Client();
        var watch = Stopwatch.StartNew();
        Assert.Empty(await client.GetKlinesAsync("BTCUSDT", CandleInterval.OneMinute, DateTime.UtcNow, 10, CancellationToken.None));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {watch.Elapsed}");
        Assert.Equal((2, 1L), (server.Requests.Count, client.RateLimited));
    }

    [Fact]
    public async Task A_418_ban_stops_every_call_until_it_ends_and_says_so()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        bool banned = true;
        await using Canned server = await Canned.StartAsync(c => Volatile.Read(ref banned) ? Json(c, "", 418, retryAfter: 120) : Json(c, "[]"));
        using BinanceRestClient client = server.Client(clock);

        BinanceBanException ban = await Assert.ThrowsAsync<BinanceBanException>(() => client.GetKlinesAsync("BTCUSDT", CandleInterval.OneMinute, clock.GetUtcNow().UtcDateTime, 10, CancellationToken.None));
        Assert.Equal(clock.GetUtcNow().AddSeconds(120), ban.Until);
        Assert.Contains("banned", ban.Message);
        Assert.Contains("2026-11-20 10:02:00Z", ban.Message);

        // Still banned: refused without calling Binance.
        clock.Advance(TimeSpan.FromSeconds(119));
        await Assert.ThrowsAsync<BinanceBanException>(() => client.GetKlinesAsync("BTCUSDT", CandleInterval.OneMinute, clock.GetUtcNow().UtcDateTime, 10, CancellationToken.None));
        Assert.Single(server.Requests);
        Assert.NotNull(client.Weight.BannedUntil);

        Volatile.Write(ref banned, false);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(client.Weight.BannedUntil);
        Assert.Empty(await client.GetKlinesAsync("BTCUSDT", CandleInterval.OneMinute, clock.GetUtcNow().UtcDateTime, 10, CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_used_weight_header_holds_requests_that_would_pass_the_budget_until_the_next_minute()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 30, TimeSpan.Zero));
        await using Canned server = await Canned.StartAsync(c => Json(c, """{"lastUpdateId":1,"bids":[],"asks":[]}""", usedWeight: 2_990));
        using BinanceRestClient client = server.Client(clock);
        BookUpdate.Return(await client.GetDepthSnapshotAsync(s_btc, "BTCUSDT", 100, CancellationToken.None));
        Assert.Equal(2_990, client.Weight.UsedThisMinute);

        Task<BookUpdate> held = client.GetDepthSnapshotAsync(s_btc, "BTCUSDT", 1000, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(held.IsCompleted);
        Assert.Single(server.Requests);

        clock.Advance(TimeSpan.FromSeconds(30));
        BookUpdate.Return(await held.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_403_is_binances_firewall_and_other_failures_carry_binances_code_and_message()
    {
        int status = 403;
        await using Canned server = await Canned.StartAsync(c => Json(c, """{"code":-1121,"msg":"Invalid symbol."}""", status));
        using BinanceRestClient client = server.Client();
        HttpRequestException waf = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetDepthSnapshotAsync(s_btc, "BTCUSDT", 5, CancellationToken.None));
        Assert.Contains("web application firewall", waf.Message);
        Assert.Contains("not an authentication problem", waf.Message);

        status = 400;
        HttpRequestException bad = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetDepthSnapshotAsync(s_btc, "NOPE", 5, CancellationToken.None));
        Assert.Equal("Binance REST /api/v3/depth failed: HTTP 400 -1121 Invalid symbol.", bad.Message);

        status = 200;
        await Assert.ThrowsAsync<FormatException>(() => client.GetDepthSnapshotAsync(s_btc, "BTCUSDT", 5, CancellationToken.None));
    }

    [Fact]
    public async Task Exchange_info_asks_for_trading_symbols_without_permission_sets_and_a_bad_rest_url_is_named()
    {
        await using Canned server = await Canned.StartAsync(c => Json(c, BinanceExchangeInfoTests.ExchangeInfo));
        using BinanceRestClient client = server.Client();
        byte[] json = await client.GetExchangeInfoAsync(CancellationToken.None);
        Assert.Equal("/api/v3/exchangeInfo?symbolStatus=TRADING&showPermissionSets=false", Assert.Single(server.Requests));
        Assert.Equal(BinanceExchangeInfoTests.ExchangeInfo, Encoding.UTF8.GetString(json));
        Assert.Equal(BinanceRestClient.ExchangeInfoWeight, client.Weight.UsedThisMinute);

        server.Options.RestUrl = "ftp://127.0.0.1";
        await Assert.ThrowsAsync<FeedConfigurationException>(() => client.GetExchangeInfoAsync(CancellationToken.None));
    }
}
