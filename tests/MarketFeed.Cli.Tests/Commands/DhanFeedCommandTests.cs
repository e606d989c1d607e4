using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.Venues.Dhan.Emulator;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>--feed dhan</c> for watch, candles and doctor, against the Dhan emulator on loopback.</summary>
public class DhanFeedCommandTests
{
    private static Dictionary<string, string?> DhanConfiguration(DhanEmulator emulator, string accessToken = "emulator-token") =>
        new(DhanEmulatorSettings.For(emulator, Directory.CreateTempSubdirectory("mf-cli-dhan-").FullName, accessToken)) { ["History:Store"] = "none" };

    [Fact]
    public async Task Watch_streams_dhan_ticks_for_a_symbol_typed_as_dhans_custom_symbol()
    {
        await using DhanEmulator emulator = await DhanEmulator.StartAsync(new DhanEmulatorOptions { TicksPerInstrumentPerSecond = 20 });
        CliRun run = await CliRun.RunWith(DhanConfiguration(emulator), new StringReader(""), null, "watch", "Infosys", "--feed", "dhan", "--mode", "full", "--count", "6", "--format", "jsonl");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(6, run.OutputLines.Length);
        JsonElement[] ticks = [.. run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.All(ticks, t => Assert.Equal(("NSE:INFY", "dhan"), (t.GetProperty("symbol").GetString(), t.GetProperty("feed").GetString())));
        Assert.Contains(ticks, t => t.GetProperty("depth").GetProperty("asks").GetArrayLength() == 5);
    }

    [Fact]
    public async Task A_symbol_dhan_does_not_have_is_exit_code_2_with_close_matches()
    {
        await using DhanEmulator emulator = await DhanEmulator.StartAsync(new DhanEmulatorOptions());
        CliRun run = await CliRun.RunWith(DhanConfiguration(emulator), new StringReader(""), null, "watch", "NSE:INFYY", "--feed", "dhan", "--count", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NSE:INFY", run.Error.ToString() + run.Output);
    }

    [Fact]
    public async Task Candles_come_from_dhans_chart_endpoints()
    {
        await using DhanEmulator emulator = await DhanEmulator.StartAsync(new DhanEmulatorOptions());
        // History arrives over REST while the command waits for live ticks.
        CliRun run = await CliRun.RunWith(DhanConfiguration(emulator), new StringReader(""), null, "candles", "NSE:RELIANCE", "--feed", "dhan", "--interval", "5m", "--count", "5", "--seconds", "2", "--format", "csv");
        Assert.Equal(0, run.ExitCode);
        Assert.True(run.OutputLines.Count(l => l.Contains(",true,", StringComparison.Ordinal)) is >= 1 and <= 5, run.Output + run.Error.ToString());
    }

    [Fact]
    public async Task Doctor_passes_against_the_emulator_and_names_a_rejected_token_without_showing_it()
    {
        await using DhanEmulator emulator = await DhanEmulator.StartAsync(new DhanEmulatorOptions());
        CliRun ok = await CliRun.RunWith(DhanConfiguration(emulator), new StringReader(""), null, "doctor", "--feed", "dhan");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("accepted the credentials", ok.Output.ToString());

        CliRun rejected = await CliRun.RunWith(DhanConfiguration(emulator, "stale-token"), new StringReader(""), null, "doctor", "--feed", "dhan");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("DH-901", rejected.Output.ToString());
        Assert.DoesNotContain("stale-token", rejected.Output.ToString() + rejected.Error.ToString());
    }

    [Fact]
    public async Task Missing_credentials_are_named_in_one_line()
    {
        CliRun run = await CliRun.RunWith(new Dictionary<string, string?>(), new StringReader(""), null, "doctor", "--feed", "dhan");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.OutputLines, l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains("Dhan:ClientId is not set", StringComparison.Ordinal));
    }
}
