using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Dashboard;

/// <summary>The chart marks a bar the venue revised after it closed, in place, with the new values.</summary>
public class RevisedCandleBrowserTests
{
    [Fact]
    public async Task A_revised_bar_is_redrawn_with_its_new_values_and_marked_on_the_chart()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:INFY"]);
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(20_000);
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(f.Gateway.Address.ToString());

        await page.ClickAsync("[data-symbol=\"NSE:INFY\"]");
        await page.SelectOptionAsync("#chart-interval", "1m");
        await page.WaitForFunctionAsync("() => window.marketfeedDashboard.chartSymbol() === 'NSE:INFY' && window.marketfeedDashboard.chartBars() > 10");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.marketfeedDashboard.markedBars().revised"));

        // The venue's candle for a bar already drawn is higher than what the gateway built live.
        Instrument infy = f.Gateway.Host.Resolve("NSE:INFY");
        CandleInterval minute = CandleInterval.OneMinute;
        Candle drawn = (await f.Gateway.Host.Hub.GetCandlesAsync(infy.Id, minute, 5)).Closed[^3];
        Candle official = drawn with { High = drawn.High + Price.FromDecimal(5m), Flags = CandleFlags.Closed | CandleFlags.Revised };
        Assert.Equal(1, await f.Gateway.Host.Hub.ApplyCandleRevisionsAsync(infy, minute, [official], CancellationToken.None));

        await page.WaitForFunctionAsync("() => window.marketfeedDashboard.markedBars().revised === 1");
        long time = LocalSeconds(drawn.Start, infy.Calendar.Zone);
        decimal high = await page.EvaluateAsync<decimal>($"() => window.marketfeedDashboard.chartBar({time}).high");
        string color = await page.EvaluateAsync<string>($"() => window.marketfeedDashboard.chartBar({time}).color");
        Assert.Equal(official.High.ToDecimal(), high);
        Assert.Equal("#f0a020", color);
        Assert.True(await page.IsVisibleAsync("#chart-legend .revised"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("revised-bar.png") });
        Assert.Empty(violations);
    }

    /// <summary>The chart's time of a bar: exchange-local wall time as seconds.</summary>
    private static long LocalSeconds(DateTime utc, TimeZoneInfo zone) =>
        new DateTimeOffset(DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), DateTimeKind.Utc)).ToUnixTimeSeconds();
}
