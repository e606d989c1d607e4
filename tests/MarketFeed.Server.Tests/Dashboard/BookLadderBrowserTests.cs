using System.Globalization;
using System.Text.Json;
using MarketFeed.Model;
using MarketFeed.Server.Tests.Chaos;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Dashboard;

/// <summary>The depth ladder beside the chart, against the Binance emulator: live levels with size bars, and a resync shown as such.</summary>
public class BookLadderBrowserTests
{
    [Fact]
    public async Task The_ladder_shows_sizes_as_bars_follows_the_book_and_says_resyncing_until_the_fresh_snapshot_lands()
    {
        await using ChaosVenue venue = await BinanceChaosTests.StartVenueAsync();
        venue.Gateway.Subscriptions.Add([venue.First], FeedMode.Full);
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(venue.Gateway.Address.ToString());

        // The first subscription is charted, and its book stands beside the chart: ten levels a side, synced.
        await page.WaitForFunctionAsync(
            "() => { const b = window.marketfeedDashboard.bookLevels(); return window.marketfeedDashboard.bookState() === 'synced' && b.bids === 10 && b.asks === 10; }");
        JsonElement ladder = await ReadLadderAsync(page);
        JsonElement[] levels = [.. ladder.GetProperty("levels").EnumerateArray()];
        Assert.Equal(20, levels.Length);

        // Each bar is the level's size against the largest shown: the largest is full width, every other in proportion.
        double largest = levels.Max(l => l.GetProperty("qty").GetDouble());
        Assert.All(levels, l => Assert.InRange(
            l.GetProperty("bar").GetDouble(), Math.Max(1, Math.Round(100 * l.GetProperty("qty").GetDouble() / largest)) - 1, Math.Round(100 * l.GetProperty("qty").GetDouble() / largest) + 1));
        Assert.Contains(levels, l => l.GetProperty("bar").GetDouble() == 100);

        // It follows the book: the levels move on.
        string before = ladder.GetProperty("text").GetString()!;
        await page.WaitForFunctionAsync("before => document.getElementById('book').textContent !== before", before);

        // A lost diff with REST down: the book cannot be rebuilt, and the ladder says so instead of showing a wrong book.
        venue.SetFaults("restdown,depthgap");
        await page.WaitForFunctionAsync("() => window.marketfeedDashboard.bookState() === 'resyncing'", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        Assert.Equal("resyncing", await page.TextContentAsync("#book-status"));
        Assert.Equal("resyncing", await page.TextContentAsync("#book-spread"));
        Assert.False(await page.EvaluateAsync<bool>("() => document.getElementById('book').hidden"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-book-resyncing.png") });

        // REST back: the snapshot lands, the label goes, and the ladder is a real, uncrossed book again.
        venue.SetFaults("-restdown");
        await page.WaitForFunctionAsync(
            "() => window.marketfeedDashboard.bookState() === 'synced' && window.marketfeedDashboard.bookLevels().bids === 10", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.Equal("", await page.TextContentAsync("#book-status"));
        string[] best = (await page.EvaluateAsync<string>(
            "() => document.querySelector('#book-bids .level:first-child .price').textContent + '/' + document.querySelector('#book-asks .level:last-child .price').textContent")).Split('/');
        Assert.True(decimal.Parse(best[0], CultureInfo.InvariantCulture) < decimal.Parse(best[1], CultureInfo.InvariantCulture), string.Join(" / ", best));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-book.png") });
        Assert.Empty(violations);
    }

    /// <summary>Every level's size and bar width, and the ladder's text, read in one script run (the book is live).</summary>
    private static Task<JsonElement> ReadLadderAsync(IPage page) => page.EvaluateAsync<JsonElement>(
        """
        () => ({
          text: document.getElementById('book').textContent,
          levels: [...document.querySelectorAll('#book .level')].map(l => ({
            qty: parseFloat(l.querySelector('.qty').textContent),
            bar: parseFloat(l.querySelector('.size-bar').style.width),
          })),
        })
        """);
}
