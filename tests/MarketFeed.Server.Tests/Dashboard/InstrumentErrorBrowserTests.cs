using System.Text.Json;
using MarketFeed.Model;
using MarketFeed.Server.Tests.Chaos;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Dashboard;

/// <summary>A venue refusing one instrument alone (the Coinbase emulator's <c>reject=PRODUCT</c>): the tile says why, its neighbour stays live.</summary>
public class InstrumentErrorBrowserTests
{
    private const string Btc = "COINBASE:BTC-USD";
    private const string Eth = "COINBASE:ETH-USD";
    private const string Refusal = @"^Coinbase: Failed to subscribe to [a-z_0-9]+ for ETH-USD\b";

    [Fact]
    public async Task A_refused_instrument_shows_the_venues_text_on_its_tile_while_its_neighbour_stays_live_and_it_clears_once_served()
    {
        await using ChaosVenue venue = await CoinbaseChaosTests.StartVenueAsync();
        venue.SetFaults("reject=ETH-USD");
        venue.Gateway.Subscriptions.Add([Btc, Eth], FeedMode.Quote);
        await ChaosVenue.WaitUntil(() => venue.Host.Status().Instruments.Any(i => i.Symbol == Eth && i.Error is not null));
        JsonElement refused = await venue.InstrumentStatusAsync(Eth);
        Assert.Equal("error", refused.GetProperty("state").GetString());
        Assert.Matches(Refusal, refused.GetProperty("error").GetString());

        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(venue.Gateway.Address.ToString());

        string ethTile = $"[data-symbol=\"{Eth}\"]";
        string btcTile = $"[data-symbol=\"{Btc}\"]";
        await page.WaitForSelectorAsync($"{ethTile}[data-state=\"error\"][title]");
        await page.WaitForSelectorAsync($"{btcTile}[data-state=\"live\"]");
        // Coinbase refuses each channel of the product with its own message (the last one stays): the tooltip is one
        // of them in full, the visible line its start.
        string error = (await page.GetAttributeAsync(ethTile, "title"))!;
        Assert.Matches(Refusal, error);
        string line = (await page.TextContentAsync($"{ethTile} .updates"))!;
        Assert.StartsWith("Coinbase: Failed to subscribe to ", line);
        Assert.True(line.Length <= 60, line);
        Assert.True(error.StartsWith(line.TrimEnd('…'), StringComparison.Ordinal), $"'{line}' is not the start of '{error}'");
        Assert.Null(await page.GetAttributeAsync(btcTile, "title"));
        Assert.Matches(@"^\d+ updates · stream$", await page.TextContentAsync($"{btcTile} .updates"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-instrument-error.png") });

        // Coinbase serves the product again once the fault lifts and the reconnect resubscribes it: its first tick
        // clears the error, and the tile goes back to its updates line without a tooltip.
        venue.SetFaults("-reject");
        venue.Drop();
        await page.WaitForSelectorAsync($"{ethTile}[data-state=\"live\"]:not([title])");
        Assert.Matches(@"^\d+ updates · stream$", await page.TextContentAsync($"{ethTile} .updates"));
        Assert.Null((await venue.InstrumentStatusAsync(Eth)).GetProperty("error").GetString());
        Assert.Empty(violations);
    }
}
