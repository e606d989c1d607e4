using System.Text.Json;
using MarketFeed.Cli.Tests.TestSupport;
using MarketFeed.Venues.Kite.Emulator;

namespace MarketFeed.Cli.Tests.Commands;

/// <summary><c>--feed kite</c> for watch, console and doctor, against the Kite emulator on loopback.</summary>
public class KiteFeedCommandTests
{
    private static Dictionary<string, string?> KiteConfiguration(KiteEmulator emulator, string accessToken = "emulator-token") => new()
    {
        ["Kite:ApiKey"] = "emulator-key",
        ["Kite:AccessToken"] = accessToken,
        ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
        ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
        ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-cli-kite-").FullName,
    };

    [Fact]
    public async Task Watch_streams_kite_ticks_in_the_tick_shape()
    {
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 20 });
        CliRun run = await CliRun.RunWith(KiteConfiguration(emulator), new StringReader(""), null, "watch", "NSE:INFY", "--feed", "kite", "--mode", "full", "--count", "6", "--format", "jsonl");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(6, run.OutputLines.Length);
        JsonElement[] ticks = [.. run.OutputLines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.All(ticks, t => Assert.Equal(("NSE:INFY", "kite"), (t.GetProperty("symbol").GetString(), t.GetProperty("feed").GetString())));

        // Kite subscribes in quote mode until the mode message lands: the first packet may carry no depth, later ones do.
        Assert.Equal(5, ticks[^1].GetProperty("depth").GetProperty("asks").GetArrayLength());
    }

    [Fact]
    public async Task Doctor_passes_against_the_emulator_and_names_a_rejected_token_without_showing_it()
    {
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions());
        CliRun ok = await CliRun.RunWith(KiteConfiguration(emulator), new StringReader(""), null, "doctor", "--feed", "kite");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("accepted the credentials", ok.Output.ToString());

        Dictionary<string, string?> bad = KiteConfiguration(emulator);
        CliRun loaded = await CliRun.RunWith(bad, new StringReader(""), null, "instruments", "search", "INFY", "--feed", "kite");
        Assert.Equal(0, loaded.ExitCode);
        bad["Kite:AccessToken"] = "stale-token";
        CliRun rejected = await CliRun.RunWith(bad, new StringReader(""), null, "doctor", "--feed", "kite");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.DoesNotContain("stale-token", rejected.Output.ToString() + rejected.Error.ToString());
    }

    [Fact]
    public async Task Watch_with_an_expired_token_says_so_on_stderr_and_exits_1_without_showing_the_token()
    {
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions());
        Dictionary<string, string?> configuration = KiteConfiguration(emulator);

        // The day's instrument dump is cached while the token still worked; then the token expires.
        CliRun loaded = await CliRun.RunWith(configuration, new StringReader(""), null, "instruments", "search", "INFY", "--feed", "kite");
        Assert.Equal(0, loaded.ExitCode);
        configuration["Kite:AccessToken"] = "expired-token";

        CliRun run = await CliRun.RunWith(configuration, new StringReader(""), null, "watch", "NSE:INFY", "--feed", "kite", "--auth-timeout", "1");

        string error = run.Error.ToString();
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("→ auth_failed", error);
        Assert.Contains("marketfeed: feed kite cannot authenticate", error);
        Assert.DoesNotContain("expired-token", error + run.Output);
        Assert.All(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("marketfeed: ", line));
    }

    [Fact]
    public async Task Console_prints_feed_state_changes_on_stderr()
    {
        await using KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions());
        Dictionary<string, string?> configuration = KiteConfiguration(emulator);
        Assert.Equal(0, (await CliRun.RunWith(configuration, new StringReader(""), null, "instruments", "search", "INFY", "--feed", "kite")).ExitCode);
        configuration["Kite:AccessToken"] = "expired-token";

        var input = new TypedInput();
        Task<CliRun> console = CliRun.RunWith(configuration, input, null, "console", "--feed", "kite");
        input.Type("NSE:INFY");
        await Task.Delay(TimeSpan.FromSeconds(3));
        input.Type("quit");
        CliRun run = await console;

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("marketfeed: Feed kite: connecting → auth_failed", run.Error.ToString());
        Assert.DoesNotContain("expired-token", run.Error.ToString() + run.Output);
    }

    [Fact]
    public async Task Missing_credentials_are_named_in_one_line()
    {
        CliRun run = await CliRun.RunWith(new Dictionary<string, string?>(), new StringReader(""), null, "doctor", "--feed", "kite");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.OutputLines, l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains("Kite:ApiKey is not set", StringComparison.Ordinal));
    }
}
