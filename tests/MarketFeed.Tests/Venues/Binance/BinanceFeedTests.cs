using System.Collections.Concurrent;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;
using MarketFeed.Venues.Binance;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Venues.Binance;

/// <summary>The feed's REST side against canned responses on 127.0.0.1 (its stream side needs the Binance emulator).</summary>
public class BinanceFeedTests
{
    private static IConfigurationRoot Configuration(string restUrl, string cache, string? instrumentsFile = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Binance:RestUrl"] = restUrl,
            ["Binance:StreamUrl"] = "ws://127.0.0.1:9",
            ["Binance:CacheDirectory"] = cache,
            ["Binance:InstrumentsFile"] = instrumentsFile,
        }).Build();

    [Fact]
    public async Task A_cached_exchange_info_is_never_loaded_for_another_rest_url()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(c =>
        {
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync(BinanceExchangeInfoTests.ExchangeInfo);
        });
        string cache = Directory.CreateTempSubdirectory("mf-binance-").FullName;
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 4, 0, 30, TimeSpan.Zero));
        await using (var emulated = new BinanceFeed(Configuration(server.HttpBase, cache), clock))
        {
            await emulated.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None);
        }

        // Same day, same cache folder, another source (a closed loopback port stands in for api.binance.com): it downloads, and fails.
        await using var elsewhere = new BinanceFeed(Configuration("http://127.0.0.1:9", cache), clock);
        await Assert.ThrowsAnyAsync<Exception>(() => elsewhere.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None));
    }

    [Fact]
    public async Task Instruments_are_downloaded_once_a_utc_day_and_history_comes_from_klines()
    {
        var requests = new ConcurrentQueue<string>();
        await using LoopbackServer server = await LoopbackServer.StartAsync(c =>
        {
            requests.Enqueue(c.Request.Path);
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync(c.Request.Path == "/api/v3/exchangeInfo"
                ? BinanceExchangeInfoTests.ExchangeInfo
                : """[[1795147140000,"1","2","0.5","1.5","10",1795147199999,"15",7,"5","7.5","0"]]""");
        });
        string cache = Directory.CreateTempSubdirectory("mf-binance-").FullName;
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 4, 0, 30, TimeSpan.Zero));

        await using var feed = new BinanceFeed(Configuration(server.HttpBase, cache), clock);
        var registry = new InstrumentRegistry();
        await feed.LoadInstrumentsAsync(registry, CancellationToken.None);
        Assert.Equal(4, registry.Count);
        Assert.True(File.Exists(InstrumentDumpCache.PathFor(cache, "binance-exchangeinfo", "json", server.HttpBase, new DateOnly(2026, 11, 20))));

        await using var again = new BinanceFeed(Configuration(server.HttpBase, cache), clock);
        await again.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None);
        Assert.Single(requests, "/api/v3/exchangeInfo");

        Instrument btc = registry.Resolve("BINANCE:BTCUSDT");

        // REST requests are paced (10 a second by default) on the feed's clock, which only moves when told to.
        clock.Advance(TimeSpan.FromSeconds(1));
        IReadOnlyList<Candle> history = await feed.GetHistoryAsync(btc, CandleInterval.OneMinute, clock.GetUtcNow().UtcDateTime, 1, CancellationToken.None);
        Candle bar = Assert.Single(history);
        Assert.Equal((new DateTime(2026, 11, 20, 3, 59, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc), 7), (bar.Start, bar.End, bar.Ticks));
        Assert.Empty(await feed.GetHistoryAsync(TestInstruments.Equity(), CandleInterval.OneMinute, clock.GetUtcNow().UtcDateTime, 1, CancellationToken.None));

        IReadOnlyList<DoctorCheck> checks = await feed.CheckAsync(CancellationToken.None);
        Assert.Equal(["configuration", "instruments", "rest", "connectivity"], checks.Select(c => c.Name));
        Assert.True(checks[1].Passed, checks[1].Detail);
        Assert.Contains("4 trading symbols", checks[1].Detail);
        Assert.False(checks[3].Passed);
    }

    [Fact]
    public async Task Settings_out_of_range_and_a_missing_instruments_file_are_named()
    {
        IConfigurationRoot configuration = Configuration("http://127.0.0.1:9", Path.GetTempPath(), "/nonexistent/exchangeInfo.json");
        await using var feed = new BinanceFeed(configuration, TimeProvider.System);
        Assert.Contains("Binance:InstrumentsFile", (await Assert.ThrowsAsync<FeedConfigurationException>(() => feed.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None))).Message);

        configuration["Binance:RequestWeightPerMinute"] = "7000";
        Assert.Contains("RequestWeightPerMinute", (await Assert.ThrowsAsync<FeedConfigurationException>(() => feed.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None))).Message);
        Assert.False((await feed.CheckAsync(CancellationToken.None)).Single().Passed);
        Assert.Equal("binance", new BinanceFeedFactory().Create(configuration, TimeProvider.System).Name);
        Assert.Equal(("binance", "binance"), (new BinanceModule().Venue, new BinanceModule().Feed.Name));
    }
}
