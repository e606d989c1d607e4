using System.Globalization;

namespace MarketFeed.Benchmarks.Bus;

/// <summary>
/// `bus [--rounds N] [--seconds S] [--broker URI]`: the gateway's bus publisher and consumer beside a bare
/// RabbitMQ.Client publisher and consumer, through the same broker, in alternating rounds so both sides see the same
/// minute of a shared machine. Each round: a saturated phase (events/s confirmed and delivered end to end) and a paced
/// phase (latency p50/p99 at a rate well below saturation). Prints every round, then median and min–max per side and
/// of the gateway-to-bare ratios of the same round.
/// </summary>
internal static class BusRatioRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = IntOption(args, "--rounds", 3);
        double seconds = DoubleOption(args, "--seconds", 5);
        double pacedRate = DoubleOption(args, "--paced", 20_000);
        var broker = new Uri(StringOption(args, "--broker", "amqp://guest:guest@127.0.0.1:5672/"));
        var saturated = TimeSpan.FromSeconds(seconds);
        var paced = TimeSpan.FromSeconds(Math.Max(3, seconds));

        Console.WriteLine(Invariant($"broker {broker.Host}:{broker.Port}, {rounds} rounds, {seconds:F0} s saturated + {paced.TotalSeconds:F0} s paced at {pacedRate:N0} events/s"));
        var gateway = new List<BusRoundResult>();
        var bare = new List<BusRoundResult>();
        for (int round = 1; round <= rounds; round++)
        {
            // The gateway first: the baseline then sends messages of the size and event count the gateway's had.
            BusRoundResult g = await GatewayBusRound.RunAsync(broker, saturated, paced, pacedRate);
            gateway.Add(g);
            Print($"round {round} gateway", g);
            int messageBytes = (int)Math.Round(g.AverageMessageBytes);
            int eventsPerMessage = Math.Max(1, (int)Math.Round(g.EventsPerMessage));
            BusRoundResult b = await BareStreamRound.RunAsync(broker, messageBytes, eventsPerMessage, saturated, paced, pacedRate);
            bare.Add(b);
            Print($"round {round} bare   ", b);
        }

        Summarize("gateway publisher → broker → consumer", gateway);
        Summarize("bare RabbitMQ.Client, same message sizes", bare);
        Console.WriteLine($"gateway ÷ bare of the same round (median, min–max over {rounds} rounds):");
        Console.WriteLine($"  published events/s {Spread(gateway.Zip(bare, (g, b) => g.PublishedEventsPerSecond / b.PublishedEventsPerSecond), "F2")}");
        Console.WriteLine($"  consumed events/s  {Spread(gateway.Zip(bare, (g, b) => g.ConsumedEventsPerSecond / b.ConsumedEventsPerSecond), "F2")}");
        Console.WriteLine($"  added latency p50 ms {Spread(gateway.Zip(bare, (g, b) => g.LatencyP50Ms - b.LatencyP50Ms), "F2")}");
        Console.WriteLine($"  added latency p99 ms {Spread(gateway.Zip(bare, (g, b) => g.LatencyP99Ms - b.LatencyP99Ms), "F2")}");
        return 0;
    }

    private static void Print(string name, BusRoundResult r) => Console.WriteLine(Invariant(
        $"  {name}: published {r.PublishedEventsPerSecond:N0} events/s, consumed {r.ConsumedEventsPerSecond:N0} events/s ({r.MessagesPerSecond:N0} msg/s of {r.AverageMessageBytes:N0} B, {r.EventsPerMessage:F0} events each), latency p50 {r.LatencyP50Ms:F2} ms p99 {r.LatencyP99Ms:F2} ms, lost {r.Lost:N0}, batches out of order {r.OutOfOrder:N0}"));

    private static void Summarize(string name, List<BusRoundResult> results)
    {
        Console.WriteLine($"{name} (median, min–max over {results.Count} rounds):");
        Console.WriteLine($"  published events/s {Spread(results.Select(r => r.PublishedEventsPerSecond), "N0")}");
        Console.WriteLine($"  consumed events/s  {Spread(results.Select(r => r.ConsumedEventsPerSecond), "N0")}");
        Console.WriteLine($"  latency p50 ms     {Spread(results.Select(r => r.LatencyP50Ms), "F2")}");
        Console.WriteLine($"  latency p99 ms     {Spread(results.Select(r => r.LatencyP99Ms), "F2")}");
    }

    internal static string Spread(IEnumerable<double> values, string format)
    {
        double[] sorted = [.. values.OrderBy(v => v)];
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return string.Format(CultureInfo.InvariantCulture, $"{{0:{format}}} ({{1:{format}}}–{{2:{format}}})", median, sorted[0], sorted[^1]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string StringOption(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        int.Parse(StringOption(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static double DoubleOption(string[] args, string name, double fallback) =>
        double.Parse(StringOption(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
