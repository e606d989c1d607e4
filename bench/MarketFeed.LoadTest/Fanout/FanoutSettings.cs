using System.Globalization;

namespace MarketFeed.LoadTest.Fanout;

/// <summary>
/// <c>[clients] [symbolsPerClient] [ticksPerSecond] [seconds] [--rounds N] [--warmup S] [--batch] [--frozen] [--http]</c>:
/// defaults 1,000 × 10 at 10,000 ticks/s, 15 s measured per phase after a 10 s warm-up (on a loaded machine a fresh
/// process takes seconds to settle: connections, JIT tiering), 1 round. A round is the baseline then the gateway; <c>--frozen</c>
/// adds a third phase to each, the gateway again with one of the clients frozen (subscribes, never reads). Rounds
/// interleave the phases so a machine whose load changes during the run weighs on all of them. <c>--batch</c> asks
/// both servers for batched frames; <c>--http</c> adds the wrk run.
/// </summary>
internal sealed record FanoutSettings(int Clients, int SymbolsPerClient, double TicksPerSecond, int Seconds, int Rounds, bool Batch, bool Frozen, bool Http, int WarmUpSeconds = 10)
{
    public static FanoutSettings Parse(IReadOnlyList<string> args)
    {
        var rest = args.ToList();
        int rounds = Option(rest, "--rounds", 1, 1, "--rounds takes a whole number of at least 1, e.g. --rounds 3");
        int warmUp = Option(rest, "--warmup", 10, 0, "--warmup takes whole seconds, e.g. --warmup 10");

        string[] flags = [.. rest.Where(a => a.StartsWith("--", StringComparison.Ordinal))];
        string[] numbers = [.. rest.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        foreach (string flag in flags)
        {
            if (flag is not ("--batch" or "--frozen" or "--http"))
            {
                throw new ArgumentException($"unknown option {flag}: use --rounds N, --warmup S, --batch, --frozen or --http");
            }
        }

        var settings = new FanoutSettings(
            Number(numbers, 0, 1_000),
            Number(numbers, 1, 10),
            Number(numbers, 2, 10_000),
            Number(numbers, 3, 15),
            rounds,
            flags.Contains("--batch"),
            flags.Contains("--frozen"),
            flags.Contains("--http"),
            warmUp);
        if (settings.Clients < 1 || settings.SymbolsPerClient < 1 || settings.TicksPerSecond <= 0 || settings.Seconds < 1)
        {
            throw new ArgumentException("clients, symbols per client, ticks/s and seconds must all be positive");
        }

        return settings;
    }

    /// <summary>Takes "<paramref name="name"/> VALUE" out of the arguments.</summary>
    private static int Option(List<string> args, string name, int fallback, int min, string error)
    {
        int at = args.IndexOf(name);
        if (at < 0)
        {
            return fallback;
        }

        if (at + 1 >= args.Count || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new ArgumentException(error);
        }

        args.RemoveRange(at, 2);
        return value;
    }

    private static int Number(string[] numbers, int index, int fallback)
    {
        if (numbers.Length <= index)
        {
            return fallback;
        }

        return int.TryParse(numbers[index], NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"'{numbers[index]}' is not a whole number: give [clients] [symbolsPerClient] [ticksPerSecond] [seconds]");
    }
}
