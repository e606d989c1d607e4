using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.Venues.Binance.Emulator;
using MarketFeed.Venues.Kite.Emulator;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>run</c> with several feeds (a list, or configuration <c>Feed</c>), and the commands that take one feed saying so.</summary>
public sealed class SeveralFeedsCommandTests
{
    [Fact]
    public async Task Run_serves_the_feeds_configuration_names_side_by_side_one_of_them_polling_on_purpose()
    {
        await using BinanceEmulator binance = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        await using KiteEmulator kite = await KiteEmulator.StartAsync(new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 20 });
        var output = new ConcurrentStringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var environment = new CliEnvironment(output, error, new StringReader(""))
        {
            Overrides = new Dictionary<string, string?>
            {
                ["Feed"] = "binance, kite",
                ["Feeds:kite:Mode"] = "Polling",
                ["Binance:StreamUrl"] = binance.StreamUrl.ToString().TrimEnd('/'),
                ["Binance:RestUrl"] = binance.RestUrl.ToString().TrimEnd('/'),
                ["Binance:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-cli-two-binance-").FullName,
                ["Kite:ApiKey"] = "emulator-key",
                ["Kite:AccessToken"] = "emulator-token",
                ["Kite:StreamUrl"] = kite.StreamUrl.ToString(),
                ["Kite:RestUrl"] = kite.RestUrl.ToString().TrimEnd('/'),
                ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-cli-two-kite-").FullName,
            },
            Cancellation = stop.Token,
        };
        Task<int> run = CliApp.RunAsync(["run", "--urls", "http://127.0.0.1:0"], environment);

        string started = await RunRecordTests.Eventually(() => output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("MarketFeed gateway on ", StringComparison.Ordinal)), run, error);
        Assert.Matches(@"\(feeds binance,kite, \d+ symbols\)", started);
        using var http = new HttpClient { BaseAddress = new Uri(started.Split(' ')[3]) };

        // A share of each venue's instruments (up to 8 each) is on the dashboard, and each feed has its own line of the status.
        JsonElement subscriptions = JsonDocument.Parse(await http.GetStringAsync("/api/subscriptions")).RootElement;
        string[] symbols = [.. subscriptions.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()!)];
        int fromBinance = symbols.Count(s => s.StartsWith("BINANCE:", StringComparison.Ordinal));
        Assert.InRange(fromBinance, 4, 8);
        Assert.InRange(symbols.Length - fromBinance, 4, 8);
        Assert.Contains($"{symbols.Length} symbols", started);
        JsonElement[] feeds = [];
        await RunRecordTests.Eventually(async () =>
        {
            feeds = [.. JsonDocument.Parse(await http.GetStringAsync("/api/status")).RootElement.GetProperty("feeds").EnumerateArray()];
            return feeds.Select(f => f.GetProperty("state").GetString()).SequenceEqual(["connected", "polling"]) ? "" : null;
        }, run, error);
        Assert.Equal(["binance", "kite"], feeds.Select(f => f.GetProperty("feed").GetString()));
        Assert.Equal([("stream", false), ("polling", true)], feeds.Select(f => (f.GetProperty("mode").GetString(), f.GetProperty("pollingForced").GetBoolean())));
        Assert.Equal(0, kite.Connections);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("'watch' takes one feed, not 'sim,binance'", "watch", "NSE:INFY", "--feed", "sim,binance")]
    [InlineData("'candles' takes one feed, not 'sim,binance'", "candles", "NSE:INFY", "--interval", "1m", "--feed", "sim,binance")]
    [InlineData("'console' takes one feed, not 'sim,binance'", "console", "--feed", "sim,binance")]
    [InlineData("'chain' takes one feed, not 'sim,binance'", "chain", "NIFTY", "--feed", "sim,binance")]
    [InlineData("'doctor' takes one feed, not 'sim,binance'", "doctor", "--feed", "sim,binance")]
    [InlineData("'record' takes one feed, not 'sim,binance'", "record", "--feed", "sim,binance", "--symbols", "NSE:INFY", "--out", "unused-journal")]
    [InlineData("'instruments' takes one feed, not 'sim,binance'", "instruments", "search", "INFY", "--feed", "sim,binance")]
    [InlineData("'run --record' records one feed, not 'sim,binance'", "run", "--feed", "sim,binance", "--record", "unused-journal")]
    [InlineData("feed 'sim' is listed twice", "run", "--feed", "sim,SIM")]
    public async Task A_list_where_one_feed_is_taken_is_one_line_and_exit_code_2(string message, params string[] args)
    {
        CliRun run = await CliRun.Run(args);
        Assert.Equal(2, run.ExitCode);
        string error = run.Error.ToString().Trim();
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("marketfeed: " + message, error);
        Assert.False(Directory.Exists("unused-journal"), "nothing was recorded");
    }
}
