using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.Venues.Finnhub;
using MarketFeed.Venues.Finnhub.Emulator;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>--feed finnhub</c> for watch and doctor, against the Finnhub emulator on loopback.</summary>
public class FinnhubFeedCommandTests
{
    private static Dictionary<string, string?> Configuration(FinnhubEmulator emulator, string? token = null)
    {
        var settings = new Dictionary<string, string?>(new FinnhubModule().ConfigurationFor(emulator.Address, Directory.CreateTempSubdirectory("mf-cli-finnhub-").FullName));
        if (token is not null)
        {
            settings["Finnhub:Token"] = token;
        }

        return settings;
    }

    [Fact]
    public async Task Watch_streams_finnhub_trades_of_a_stock_and_a_crypto_pair_by_their_canonical_symbols()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        CliRun run = await CliRun.RunWith(Configuration(emulator), new StringReader(""), null,
            "watch", "FINNHUB:AAPL", "FINNHUB:BINANCE:BTCUSDT", "--feed", "finnhub", "--count", "10", "--format", "jsonl");

        Assert.Equal(0, run.ExitCode);
        JsonElement[] ticks = [.. run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(10, ticks.Length);
        Assert.All(ticks, t => Assert.Contains(t.GetProperty("symbol").GetString(), new[] { "FINNHUB:AAPL", "FINNHUB:BINANCE:BTCUSDT" }));
        Assert.All(ticks, t => Assert.Equal("finnhub", t.GetProperty("feed").GetString()));
    }

    [Fact]
    public async Task Doctor_passes_against_the_emulator_and_a_rejected_token_fails_without_being_shown()
    {
        await using FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 0 });
        CliRun ok = await CliRun.RunWith(Configuration(emulator), new StringReader(""), null, "doctor", "--feed", "finnhub");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("accepted the token", ok.Output.ToString());

        CliRun rejected = await CliRun.RunWith(Configuration(emulator, "fh-stale-token-77"), new StringReader(""), null, "doctor", "--feed", "finnhub");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.DoesNotContain("fh-stale-token-77", rejected.Output.ToString() + rejected.Error.ToString());
    }

    [Fact]
    public async Task A_missing_token_is_named_in_one_line()
    {
        CliRun run = await CliRun.RunWith(new Dictionary<string, string?>(), new StringReader(""), null, "doctor", "--feed", "finnhub");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.OutputLines, l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains("Finnhub:Token is not set", StringComparison.Ordinal));
    }
}
