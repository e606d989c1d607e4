using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Dashboard;

/// <summary>Two venues in one gateway (the Binance and Kite emulators): side by side in the API, /metrics and the dashboard.</summary>
public class SeveralFeedsBrowserTests
{
    private const string Btc = "BINANCE:BTCUSDT";
    private const string Infy = "NSE:INFY";

    [Fact]
    public async Task Two_venues_run_side_by_side_and_the_slow_one_shows_its_latency_in_status_metrics_and_the_feed_panel()
    {
        // Kite is made slow: each tick is sent 2 s after its exchange time (Kite stamps whole seconds, so it reads 2–3 s
        // on a quiet machine).
        await using TwoVenues venues = await TwoVenues.StartAsync(kiteFaults: "delay=2000");
        venues.Gateway.Subscriptions.Add([Btc], FeedMode.Quote);
        venues.Gateway.Subscriptions.Add([Infy], FeedMode.Full);
        Assert.Equal(["binance", "kite"], venues.Host.Feeds.Select(f => f.Name));

        // Each feed has its own connections and health.
        await ChaosVenue.WaitUntil(() => venues.Host.Feeds.All(f => f.Health.State == FeedState.Connected && f.Health.Connections == 1));
        await ChaosVenue.WaitUntil(() => venues.Host.Health.Report().Feeds.All(f => f.Latency is { Samples: >= 20 }));

        JsonElement binance = await venues.FeedStatusAsync("binance");
        JsonElement kite = await venues.FeedStatusAsync("kite");
        Assert.Equal(("stream", false), (binance.GetProperty("mode").GetString(), binance.GetProperty("pollingForced").GetBoolean()));
        Assert.Equal("stream", kite.GetProperty("mode").GetString());
        double kiteP50 = kite.GetProperty("latency").GetProperty("p50Ms").GetDouble();
        double binanceP50 = binance.GetProperty("latency").GetProperty("p50Ms").GetDouble();
        // The delay is a floor for Kite; a loaded machine adds the same to both, so Binance stays well below.
        Assert.True(kiteP50 >= 2000, $"kite p50 {kiteP50} ms");
        Assert.True(binanceP50 <= kiteP50 - 1000, $"binance p50 {binanceP50} ms, kite {kiteP50} ms");
        Assert.True(kite.GetProperty("latency").GetProperty("p99Ms").GetDouble() >= kiteP50);

        // /metrics: one histogram per feed; none of Kite's ticks is under 2 s, Binance's are.
        Assert.Equal(0, await venues.MetricAsync("marketfeed_feed_latency_bucket{feed=\"kite\",le=\"1500\"}"));
        double kiteCount = await venues.MetricAsync("marketfeed_feed_latency_count{feed=\"kite\"}");
        Assert.True(kiteCount >= 20, $"{kiteCount} kite samples");
        Assert.True(await venues.MetricAsync("marketfeed_feed_latency_bucket{feed=\"kite\",le=\"+Inf\"}") >= kiteCount);
        Assert.True(await venues.MetricAsync("marketfeed_feed_latency_bucket{feed=\"binance\",le=\"1500\"}") > 0);

        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(venues.Gateway.Address.ToString());

        // Both venues' instruments tick side by side, and each venue has its panel with mode and latency.
        await page.WaitForSelectorAsync($"[data-symbol=\"{Btc}\"][data-state=\"live\"]");
        // NSE keeps exchange hours (the tile may say closed): that it ticked is what counts here.
        await page.WaitForSelectorAsync($"[data-symbol=\"{Infy}\"][data-seq]");
        await page.WaitForSelectorAsync("[data-feed=\"kite\"][data-p50]");
        await page.WaitForSelectorAsync("[data-feed=\"binance\"][data-p50]");
        JsonElement panels = await page.EvaluateAsync<JsonElement>(
            "() => Object.fromEntries([...document.querySelectorAll('.feed')].map(f => [f.dataset.feed, { text: f.textContent, p50: +f.dataset.p50, mode: f.dataset.mode }]))");
        JsonElement kitePanel = panels.GetProperty("kite");
        double kitePanelP50 = kitePanel.GetProperty("p50").GetDouble();
        Assert.True(kitePanelP50 >= 2000, $"kite panel p50 {kitePanelP50} ms");
        Assert.True(panels.GetProperty("binance").GetProperty("p50").GetDouble() <= kitePanelP50 - 1000);
        Assert.Matches(@"^kite: connected · stream · 1 conn · .* · latency p50 \d+\.\d\d s p99 \d+\.\d\d s", kitePanel.GetProperty("text").GetString());
        Assert.Equal("stream", kitePanel.GetProperty("mode").GetString());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-two-feeds.png") });
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_feed_set_to_poll_in_configuration_polls_beside_a_streaming_one_and_the_api_and_the_panel_say_so()
    {
        await using TwoVenues venues = await TwoVenues.StartAsync(new Dictionary<string, string?> { ["Feeds:kite:Mode"] = "Polling" });
        venues.Gateway.Subscriptions.Add([Btc, Infy], FeedMode.Quote);
        IFeed kiteFeed = venues.Host.Feeds.Single(f => f.Name == "kite");
        IFeed binanceFeed = venues.Host.Feeds.Single(f => f.Name == "binance");
        await ChaosVenue.WaitUntil(() => kiteFeed.Health.State == FeedState.Polling && binanceFeed.Health.State == FeedState.Connected);

        // Both deliver: Kite over REST (its stream never opened), Binance over its stream.
        await ChaosVenue.WaitUntil(() => venues.Host.TryGetLatest(Infy, out Tick polled) && polled.Source == TickSource.Poll
            && venues.Host.TryGetLatest(Btc, out Tick streamed) && streamed.Source == TickSource.Stream);
        Assert.Equal(0, venues.Kite.Connections);
        Assert.Equal(0, kiteFeed.Health.Connections);

        JsonElement kite = await venues.FeedStatusAsync("kite");
        Assert.Equal(("polling", "polling", true), (kite.GetProperty("state").GetString(), kite.GetProperty("mode").GetString(), kite.GetProperty("pollingForced").GetBoolean()));
        JsonElement binance = await venues.FeedStatusAsync("binance");
        Assert.Equal(("connected", "stream", false), (binance.GetProperty("state").GetString(), binance.GetProperty("mode").GetString(), binance.GetProperty("pollingForced").GetBoolean()));
        using (HttpResponseMessage ready = await venues.Http.GetAsync("/readyz"))
        {
            Assert.True(ready.IsSuccessStatusCode, "a feed polling on purpose is ready");
        }

        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync();
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(venues.Gateway.Address.ToString());
        await page.WaitForSelectorAsync("[data-feed=\"kite\"][data-mode=\"polling\"][data-polling-forced=\"true\"]");
        await page.WaitForSelectorAsync("[data-feed=\"binance\"][data-mode=\"stream\"]:not([data-polling-forced])");
        Assert.StartsWith("kite: polling · polling (set) · 0 conn", await page.TextContentAsync("[data-feed=\"kite\"]"));
        // NSE keeps exchange hours (the tile may say closed): that it ticked is what counts here.
        await page.WaitForSelectorAsync($"[data-symbol=\"{Infy}\"][data-seq]");
        await page.WaitForSelectorAsync($"[data-symbol=\"{Btc}\"][data-state=\"live\"]");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-polling-feed.png") });
        Assert.Empty(violations);
    }
}
