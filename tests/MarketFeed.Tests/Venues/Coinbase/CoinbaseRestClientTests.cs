using System.Collections.Concurrent;
using System.Net;
using MarketFeed.Candles;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Coinbase;
using MarketFeed.Venues.Coinbase.Emulator;
using Microsoft.AspNetCore.Http;

namespace MarketFeed.Tests.Venues.Coinbase;

/// <summary>The REST client against the Coinbase emulator's endpoints, and against canned answers on 127.0.0.1 for what the emulator does not say.</summary>
public class CoinbaseRestClientTests
{
    [Fact]
    public async Task Candles_page_backwards_350_at_a_time_and_come_back_oldest_first_on_the_grid()
    {
        await using CoinbaseEmulator emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 0 });
        var options = new CoinbaseOptions { RestUrl = emulator.RestUrl.ToString(), RestRequestsPerSecond = 10 };
        using var rest = new CoinbaseRestClient(() => options, TimeProvider.System);
        DateTime end = new(2026, 11, 20, 12, 0, 30, DateTimeKind.Utc);

        IReadOnlyList<Candle> candles = await rest.GetCandlesAsync("BTC-USD", CandleInterval.Parse("1m"), end, 500, CancellationToken.None);
        Assert.Equal(500, candles.Count);
        Assert.Equal(new DateTime(2026, 11, 20, 11, 59, 0, DateTimeKind.Utc), candles[^1].Start);
        Assert.Equal(candles[^1].Start.AddMinutes(-499), candles[0].Start);
        Assert.True(candles.Zip(candles.Skip(1)).All(p => p.Second.Start - p.First.Start == TimeSpan.FromMinutes(1)));
        Assert.All(candles, c =>
        {
            Assert.True(c.Low <= c.Open && c.Low <= c.Close && c.High >= c.Open && c.High >= c.Close && c.Low.Raw > 0);
            Assert.Equal(CandleFlags.Closed | CandleFlags.History, c.Flags);
            Assert.Equal(c.Start.AddMinutes(1), c.End);
        });

        // The same bars again: history is a function of time.
        Assert.Equal(candles.Skip(490), await rest.GetCandlesAsync("BTC-USD", CandleInterval.Parse("1m"), end, 10, CancellationToken.None));
        Assert.Empty(await rest.GetCandlesAsync("BTC-USD", CandleInterval.Parse("3m"), end, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Polling_reads_each_products_ticker_as_last_price_and_best_bid_and_ask()
    {
        await using CoinbaseEmulator emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 50 });
        var options = new CoinbaseOptions { RestUrl = emulator.RestUrl.ToString() };
        using var rest = new CoinbaseRestClient(() => options, TimeProvider.System)
        {
            Products = id => id.Value switch { 1 => "BTC-USD", 2 => "ETH-USD", _ => null },
        };
        await Task.Delay(200);
        IReadOnlyList<Tick> ticks = await rest.PollAsync([new InstrumentId(1), new InstrumentId(2), new InstrumentId(3)], CancellationToken.None);
        Assert.Equal([1, 2], ticks.Select(t => t.Instrument.Value));
        Assert.All(ticks, t =>
        {
            Assert.Equal(TickSource.Poll, t.Source);
            Assert.True(t.Bid.HasValue && t.Ask.HasValue && t.Bid < t.Ask);
            Assert.True((t.Updates & TickFields.TopOfBook) != 0);
            Assert.True(!t.Ltp.HasValue || (t.Updates & TickFields.Trade) != 0);
        });
    }

    [Fact]
    public async Task A_429_stops_every_call_for_its_retry_after_then_the_call_is_retried()
    {
        await using CoinbaseEmulator emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions());
        var options = new CoinbaseOptions { RestUrl = emulator.RestUrl.ToString() };
        using var rest = new CoinbaseRestClient(() => options, TimeProvider.System);
        emulator.SetFaults("ratelimit=2");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        byte[] products = await rest.GetProductsAsync(CancellationToken.None);
        Assert.Equal(5, CoinbaseProducts.Parse(products, "coinbase").Instruments.Count);
        Assert.Equal(2, rest.RateLimited);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {watch.Elapsed}");
    }

    [Fact]
    public async Task Failures_carry_coinbases_error_text_and_a_bad_url_is_named()
    {
        var paths = new ConcurrentQueue<string>();
        await using LoopbackServer server = await LoopbackServer.StartAsync(c =>
        {
            paths.Enqueue(c.Request.Path + c.Request.QueryString);
            c.Response.StatusCode = 404;
            return c.Response.WriteAsync("""{"error":"NOT_FOUND","error_details":"","message":"ProductID NOPE-USD could not be found"}""");
        });
        var options = new CoinbaseOptions { RestUrl = server.HttpBase };
        using var rest = new CoinbaseRestClient(() => options, TimeProvider.System);
        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => rest.GetCandlesAsync("NOPE-USD", CandleInterval.Parse("1h"), DateTime.UtcNow, 5, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Contains("NOT_FOUND ProductID NOPE-USD could not be found", e.Message);
        Assert.StartsWith("/api/v3/brokerage/market/products/NOPE-USD/candles?start=", Assert.Single(paths));
        Assert.Contains("granularity=ONE_HOUR", paths.Single());

        options.RestUrl = "ftp://example";
        Assert.Contains("Coinbase:RestUrl", (await Assert.ThrowsAsync<MarketFeed.Feeds.FeedConfigurationException>(() => rest.GetProductsAsync(CancellationToken.None))).Message);
    }
}
