using MarketFeed.Feeds;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>What a person watching the dashboard sees while a venue misbehaves: the feed panel's colour and text follow the truth.</summary>
public class ChaosDashboardTests
{
    private const string Green = "rgb(31, 157, 85)";
    private const string Yellow = "rgb(212, 161, 6)";
    private const string Red = "rgb(211, 58, 44)";

    [Fact]
    public async Task The_feed_panel_turns_yellow_while_polling_red_when_everything_is_down_green_again_and_shows_rejected_frames()
    {
        await using ChaosVenue venue = await KiteChaosTests.StartVenueAsync();
        venue.Gateway.Subscriptions.Add([venue.First], Model.FeedMode.Quote);
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync();
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(venue.Gateway.Address.ToString());
        const string Feed = "[data-feed=\"kite\"]";

        Assert.Equal(Green, await ColourWhenAsync(page, Feed, "connected"));

        venue.Faults.Silent = true;
        Assert.Equal(Yellow, await ColourWhenAsync(page, Feed, "polling"));

        venue.Faults.RestDown = true;
        Assert.Equal(Red, await ColourWhenAsync(page, Feed, "disconnected"));
        await page.WaitForSelectorAsync($"[data-symbol=\"{venue.First}\"][data-state=\"error\"]");
        string? why = await page.GetAttributeAsync(Feed, "title");
        Assert.Contains("REST", why);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-feed-disconnected.png") });

        venue.Faults.RestDown = false;
        venue.Faults.Silent = false;
        venue.Faults.OddText = true;
        Assert.Equal(Green, await ColourWhenAsync(page, Feed, "connected"));
        await ChaosVenue.WaitUntil(() => venue.Feed.Health.MalformedFrames > 0);
        await page.WaitForFunctionAsync($"() => /\\d+ malformed/.test(document.querySelector('{Feed}').textContent)", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal(FeedState.Connected, venue.State);
        Assert.Empty(violations);
    }

    private static async Task<string> ColourWhenAsync(IPage page, string feed, string state)
    {
        // The panel is rebuilt on every status refresh: read the colour in the same script run that finds the element.
        string selector = $"{feed}[data-state=\"{state}\"]";
        IJSHandle colour = await page.WaitForFunctionAsync(
            "s => { const e = document.querySelector(s); return e && e.isConnected ? getComputedStyle(e).borderLeftColor || null : null; }",
            selector,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        return await colour.JsonValueAsync<string>();
    }
}
