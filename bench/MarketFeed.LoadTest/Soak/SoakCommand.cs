using System.Globalization;

namespace MarketFeed.LoadTest.Soak;

/// <summary><c>soak [flags]</c>: parses the flags (usage and exit code 2 when one is wrong), runs, exits 0 on pass and 1 on fail.</summary>
internal static class SoakCommand
{
    private static readonly HashSet<string> s_flags =
    [
        "--duration", "--rate", "--clients", "--symbols", "--warmup", "--sample", "--out", "--faults", "--stall", "--recovery",
        "--growth", "--growth-mb", "--idle-timeout", "--failover-after", "--auth-retry", "--reconnect-max", "--seed",
    ];

    public const string Usage = """
        usage: MarketFeed.LoadTest soak [flags]         (defaults: the documented 1 h run)
          --duration 1h         length of the run (1h, 10m, 90s, 1h30m)
          --rate 50000          ticks/s the Kite emulator sends into the gateway
          --clients 50          WebSocket clients
          --symbols 20          symbols each client subscribes (1–200)
          --warmup 2m           start of the run ignored by the memory and stall criteria
          --sample 5s           sampling interval
          --out soak.csv        samples (CSV); the gateway's output goes to soak.csv.gateway.log
          --faults FILE         fault schedule ('OFFSET SPEC DURATION' lines, 'repeat PERIOD'); 'none' for no faults
          --show-faults         print the default schedule and exit
          --help                print this and exit
          --stall 5s            a client with no tick this long, outside a fault and its recovery, fails the run
          --recovery 87s        time after a fault ends for the feed to be connected with ticks flowing (default: from the timing below)
          --growth 1.2          memory fails when the last quarter's median RSS exceeds the second quarter's by this factor
          --growth-mb 50        … and by this many MiB
          --idle-timeout 10s    gateway Kite:Stream timing (the gateway's defaults)
          --failover-after 15s
          --auth-retry 30s
          --reconnect-max 60s
          --seed 42             emulator prices and client symbol choice
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        SoakSettings settings;
        try
        {
            if (args.Contains("--show-faults"))
            {
                await output.WriteLineAsync(FaultSchedule.DefaultText);
                return 0;
            }

            if (args.Contains("--help") || args.Contains("-h"))
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }

            settings = Parse(args);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync("soak: " + e.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        SoakResult result = await SoakRunner.RunAsync(settings, output, cancellationToken);
        foreach (string reason in result.Failures)
        {
            await error.WriteLineAsync("FAIL " + reason);
        }

        return result.Passed ? 0 : 1;
    }

    /// <summary>Reads the flags; a FormatException names the first wrong one.</summary>
    public static SoakSettings Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (!s_flags.Contains(flag))
            {
                throw new FormatException($"unknown flag '{flag}'");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"{flag} needs a value");
            }

            values[flag] = args[++i];
        }

        var defaults = new SoakSettings();
        var settings = new SoakSettings
        {
            Duration = Duration("--duration", defaults.Duration, TimeSpan.FromSeconds(10)),
            Rate = Number("--rate", defaults.Rate, 1, 1_000_000),
            Clients = (int)Number("--clients", defaults.Clients, 1, 2_000),
            SymbolsPerClient = (int)Number("--symbols", defaults.SymbolsPerClient, 1, 200),
            WarmUp = Duration("--warmup", defaults.WarmUp, TimeSpan.Zero),
            SampleEvery = Duration("--sample", defaults.SampleEvery, TimeSpan.FromSeconds(1)),
            Output = values.GetValueOrDefault("--out", defaults.Output),
            Faults = Schedule(),
            StallAfter = Duration("--stall", defaults.StallAfter, TimeSpan.FromSeconds(1)),
            Recovery = values.ContainsKey("--recovery") ? Duration("--recovery", TimeSpan.Zero, TimeSpan.FromSeconds(1)) : null,
            GrowthFactor = Number("--growth", defaults.GrowthFactor, 1, 100),
            GrowthMegabytes = Number("--growth-mb", defaults.GrowthMegabytes, 0, 100_000),
            IdleTimeout = Duration("--idle-timeout", defaults.IdleTimeout, TimeSpan.FromSeconds(1)),
            FailoverAfter = Duration("--failover-after", defaults.FailoverAfter, TimeSpan.FromSeconds(1)),
            AuthRetryDelay = Duration("--auth-retry", defaults.AuthRetryDelay, TimeSpan.FromSeconds(1)),
            ReconnectMaxDelay = Duration("--reconnect-max", defaults.ReconnectMaxDelay, TimeSpan.FromSeconds(1)),
            Seed = (int)Number("--seed", defaults.Seed, int.MinValue, int.MaxValue),
        };

        string? directory = Path.GetDirectoryName(Path.GetFullPath(settings.Output));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new FormatException($"--out: no directory '{directory}'");
        }

        if (settings.WarmUp >= settings.Duration)
        {
            throw new FormatException($"--warmup ({DurationText.Format(settings.WarmUp)}) must be shorter than --duration ({DurationText.Format(settings.Duration)})");
        }

        return settings;

        TimeSpan Duration(string flag, TimeSpan fallback, TimeSpan minimum)
        {
            if (!values.TryGetValue(flag, out string? text))
            {
                return fallback;
            }

            if (!DurationText.TryParse(text, out TimeSpan value) || value < minimum)
            {
                throw new FormatException($"{flag} '{text}' is not a duration of at least {DurationText.Format(minimum)} (e.g. 1h, 10m, 90s)");
            }

            return value;
        }

        double Number(string flag, double fallback, double minimum, double maximum)
        {
            if (!values.TryGetValue(flag, out string? text))
            {
                return fallback;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < minimum || value > maximum)
            {
                throw new FormatException($"{flag} '{text}' is not a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}");
            }

            return value;
        }

        FaultSchedule Schedule()
        {
            if (!values.TryGetValue("--faults", out string? path))
            {
                return defaults.Faults;
            }

            if (path == "none")
            {
                return FaultSchedule.None;
            }

            if (!File.Exists(path))
            {
                throw new FormatException($"--faults: no file '{path}' ('none' for no faults; --show-faults prints the default schedule to start from)");
            }

            return FaultSchedule.Parse(File.ReadAllText(path));
        }
    }
}
