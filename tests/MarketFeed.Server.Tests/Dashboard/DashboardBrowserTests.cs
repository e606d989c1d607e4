using System.Text.Json;
using MarketFeed.Feeds;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using Microsoft.Playwright;

namespace MarketFeed.Server.Tests.Dashboard;

/// <summary>The dashboard in a real browser against a real gateway on the simulator.</summary>
public class DashboardBrowserTests
{
    private static readonly string[] s_symbols = ["NSE:INFY", "NSE:TCS", "NSE:NIFTY 50", "BINANCE:BTCUSDT"];

    private static string Tile(string symbol, string? state = null) =>
        $"[data-symbol=\"{symbol}\"]" + (state is null ? "" : $"[data-state=\"{state}\"]");

    [Fact]
    public async Task Tiles_go_live_tick_can_be_added_and_removed_and_the_chart_draws_candles_and_the_book()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: s_symbols);
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(f.Gateway.Address.ToString());

        foreach (string symbol in s_symbols)
        {
            await page.WaitForSelectorAsync(Tile(symbol, "live"));
        }

        // Values change: the tile's sequence number and LTP move on.
        string seq = (await page.GetAttributeAsync(Tile("NSE:INFY"), "data-seq"))!;
        await page.WaitForFunctionAsync($"() => document.querySelector('{Tile("NSE:INFY")}').dataset.seq !== '{seq}'");
        Assert.Matches(@"^\d+(\.\d+)?$", await page.InnerTextAsync(Tile("NSE:INFY") + " .ltp"));

        // Add a symbol by name through the search box, then remove one.
        await page.FillAsync("#add-symbol", "NSE:SBIN");
        await page.ClickAsync("#add-button");
        await page.WaitForSelectorAsync(Tile("NSE:SBIN", "live"));
        await page.ClickAsync(Tile("NSE:TCS") + " .remove");
        await page.WaitForSelectorAsync(Tile("NSE:TCS"), new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        JsonElement subscriptions = await f.GetJsonAsync("/api/subscriptions");
        string?[] held = [.. subscriptions.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("symbol").GetString())];
        Assert.Contains("NSE:SBIN", held);
        Assert.DoesNotContain("NSE:TCS", held);

        // The chart draws the chosen instrument's candles: history plus the live bar.
        await page.ClickAsync(Tile("BINANCE:BTCUSDT"));
        await page.SelectOptionAsync("#chart-interval", "1m");
        await page.WaitForFunctionAsync("() => window.marketfeedDashboard.chartSymbol() === 'BINANCE:BTCUSDT' && window.marketfeedDashboard.chartBars() > 100");
        Assert.Equal("BINANCE:BTCUSDT · 1m", await page.InnerTextAsync("#chart-symbol"));

        // BTC has a book: its top ten levels a side stand beside the chart, asks above bids, uncrossed.
        await page.WaitForFunctionAsync("() => { const b = window.marketfeedDashboard.bookLevels(); return !b.hidden && b.bids === 10 && b.asks === 10; }");
        // Both read in one script run: the book is live, and two separate reads could straddle an update.
        string[] best = (await page.EvaluateAsync<string>(
            "() => document.querySelector('#book-bids .level:first-child .price').textContent + '/' + document.querySelector('#book-asks .level:last-child .price').textContent")).Split('/');
        decimal bestBid = decimal.Parse(best[0], System.Globalization.CultureInfo.InvariantCulture);
        decimal bestAsk = decimal.Parse(best[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(bestBid < bestAsk, $"{bestBid} / {bestAsk}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard.png") });

        // An NSE share has none: the panel goes away.
        await page.ClickAsync(Tile("NSE:INFY"));
        await page.WaitForFunctionAsync("() => window.marketfeedDashboard.chartSymbol() === 'NSE:INFY' && window.marketfeedDashboard.bookLevels().hidden");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task The_option_chain_page_puts_calls_left_puts_right_marks_the_money_and_draws_the_smile()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync();
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(f.Gateway.Address.ToString());
        await page.ClickAsync("#chains-link");
        await page.WaitForURLAsync("**/chains.html");

        // NIFTY's nearest expiry, ±5 strikes: 11 rows, one of them the money, and a smile through the strikes.
        await page.SelectOptionAsync("#chain-underlying", "NIFTY");
        await page.SelectOptionAsync("#chain-strikes", "5");
        await page.WaitForFunctionAsync("() => window.marketfeedChain.rows() === 11 && window.marketfeedChain.atm() !== null && window.marketfeedChain.smilePoints() >= 9");
        string[] cells = [.. await page.Locator("#chain-rows tr.atm td").AllInnerTextsAsync()];
        Assert.Equal(15, cells.Length);
        Assert.Equal(await page.EvaluateAsync<string>("() => window.marketfeedChain.atm()"), cells[7]);
        Assert.Matches(@"^\d+(\.\d+)?$", cells[6]);
        Assert.Matches(@"^\d+(\.\d+)?$", cells[8]);
        double callDelta = double.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture);
        double putDelta = double.Parse(cells[9], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(callDelta, 0.2, 0.8);
        Assert.InRange(putDelta, -0.8, -0.2);
        JsonElement chain = await f.GetJsonAsync("/api/chains/NIFTY?strikes=5");
        // The page and the API read the same live chain (the money may have moved a strike in between).
        Assert.InRange(Math.Abs(chain.GetProperty("atm").GetDecimal() - decimal.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture)), 0, 50);

        // OI bars: each side's bar is drawn against the largest OI on the page.
        int bars = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('#chain-rows .oi-bar')].filter(b => parseFloat(b.style.width) > 0).length");
        Assert.True(bars >= 20, $"{bars} OI bars drawn");

        // ΔOI is from the previous day's close (the simulator gives it), said in the summary and on each cell.
        await page.WaitForFunctionAsync("() => window.marketfeedChain.oiBasis() === 'from the previous day'");
        Assert.Contains("ΔOI from the previous day", await page.Locator("#chain-summary").InnerTextAsync());
        Assert.StartsWith("since the previous day's close", await page.Locator("#chain-rows tr.atm td.oi-previous").First.GetAttributeAsync("title"));

        // It keeps updating.
        long seq = await page.EvaluateAsync<long>("() => window.marketfeedChain.seq()");
        await page.WaitForFunctionAsync($"() => window.marketfeedChain.seq() > {seq}");

        // Another underlying replaces the chain.
        await page.SelectOptionAsync("#chain-underlying", "BANKNIFTY");
        await page.WaitForFunctionAsync("() => document.querySelector('#chain-summary').textContent.startsWith('NSE:NIFTY BANK') && window.marketfeedChain.rows() === 11");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("chains.png") });
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Two_hundred_ticking_instruments_all_go_live_and_keep_updating()
    {
        var simulator = new MarketFeed.Simulation.SimulatorOptions { StrikesEachSide = 25, TicksPerInstrumentPerSecond = 5 };
        await using GatewayFixture probe = await GatewayFixture.StartAsync(simulator, null, null, []);
        string[] symbols = [.. probe.Gateway.Host.Instruments.All().Take(200).Select(i => i.Symbol)];
        await probe.DisposeAsync();
        Assert.Equal(200, symbols.Length);

        await using GatewayFixture f = await GatewayFixture.StartAsync(simulator, null, null, symbols);
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(f.Gateway.Address.ToString());

        await page.WaitForFunctionAsync("() => document.querySelectorAll('.tile[data-state=\"live\"]').length === 200", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        string seqs = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('.tile')].map(t => t.dataset.seq).join(',')");
        await page.WaitForFunctionAsync(
            "before => { const now = [...document.querySelectorAll('.tile')].map(t => t.dataset.seq); const old = before.split(','); return now.filter((s, i) => s !== old[i]).length >= 190; }",
            seqs,
            new PageWaitForFunctionOptions { Timeout = 30_000 });

        // Still interactive: a click charts the instrument.
        await page.ClickAsync(Tile(symbols[0]));
        await page.WaitForFunctionAsync($"() => window.marketfeedDashboard.chartSymbol() === '{symbols[0]}' && window.marketfeedDashboard.chartBars() > 0");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-200.png") });
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_stopped_feed_turns_tiles_yellow_then_red()
    {
        await using GatewayFixture f = await GatewayFixture.StartAsync(hub: new HubOptions { Partitions = 1, StalenessWindow = TimeSpan.FromSeconds(1) }, symbols: s_symbols);
        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync();
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(f.Gateway.Address.ToString());
        await page.WaitForSelectorAsync(Tile("NSE:INFY", "live"));

        // The simulator's panel says up front that its market is simulated, and how it runs.
        await page.WaitForSelectorAsync("[data-feed=\"sim\"][data-simulated=\"24/7\"]");
        Assert.StartsWith("SIMULATED (24/7) · sim: ", await page.TextContentAsync("[data-feed=\"sim\"]"));

        f.Feed.Disconnect("simulated outage");
        await page.WaitForSelectorAsync(Tile("NSE:INFY", "stale"));
        await page.WaitForSelectorAsync("[data-feed=\"sim\"][data-state=\"reconnecting\"]");

        f.Feed.Health.SetState(FeedState.AuthFailed, "token rejected");
        foreach (string symbol in s_symbols)
        {
            await page.WaitForSelectorAsync(Tile(symbol, "error"));
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-feed-down.png") });
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Markup_in_venue_names_and_in_problem_details_shows_as_text_and_creates_no_element()
    {
        const string Markup = "<img src=x onerror=\"window.marketfeedInjected=1\">";
        await using GatewayFixture f = await GatewayFixture.StartAsync(symbols: ["NSE:INFY"]);

        // A venue's instrument master is outside our control: this entry tries to break out of an attribute and to
        // inject an element through its name.
        Instrument hostile = f.Gateway.Host.Instruments.Register(new Instrument
        {
            Exchange = "NSE",
            TradingSymbol = "XSSCORP\">" + Markup,
            Name = "XSS Corp " + Markup,
            Kind = InstrumentKind.Equity,
            TickSize = Price.FromScaled(5, 2),
            Calendar = SessionCalendar.IndianEquity,
            Feed = "sim",
            NativeKey = "markup-test",
        });

        (IPlaywright playwright, IBrowser browser) = await Browser.LaunchAsync();
        using IPlaywright owned = playwright;
        await using IBrowser ownedBrowser = browser;
        IPage page = await browser.NewPageAsync();
        IReadOnlyCollection<string> violations = await Browser.WatchPolicyViolationsAsync(page);
        await page.GotoAsync(f.Gateway.Address.ToString());
        await page.WaitForSelectorAsync(Tile("NSE:INFY", "live"));

        // Search results become the add box's suggestions.
        await page.FillAsync("#add-symbol", "XSSCORP");
        await page.WaitForSelectorAsync("#suggestions option", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        JsonElement suggestion = await page.EvaluateAsync<JsonElement>(
            "() => { const o = document.querySelector('#suggestions option'); return { value: o.value, text: o.textContent, options: document.querySelectorAll('#suggestions option').length }; }");
        Assert.Equal(hostile.Symbol, suggestion.GetProperty("value").GetString());
        Assert.Equal("equity XSS Corp " + Markup, suggestion.GetProperty("text").GetString());
        Assert.Equal(1, suggestion.GetProperty("options").GetInt32());

        // A problem detail that repeats what was typed is shown as the message.
        await page.FillAsync("#add-symbol", "NSE:" + Markup);
        await page.ClickAsync("#add-button");
        await page.WaitForFunctionAsync("markup => document.getElementById('message').textContent.includes(\"unknown symbol 'NSE:\" + markup)", Markup);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ArtifactPath("dashboard-markup.png") });

        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img, script:not([src])').length"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.marketfeedInjected === 1"));
        Assert.Empty(violations);
    }
}
