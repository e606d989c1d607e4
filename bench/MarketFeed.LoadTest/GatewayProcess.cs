using System.Diagnostics;
using System.Globalization;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Server;
using MarketFeed.Simulation;

namespace MarketFeed.LoadTest;

/// <summary>The gateway under load, in a process of its own (this program started with "serve").</summary>
internal static class GatewayProcess
{
    public static Process Start(int port, double ticksPerSecond) =>
        StartSelf("serve", port.ToString(CultureInfo.InvariantCulture), ticksPerSecond.ToString(CultureInfo.InvariantCulture));

    /// <summary>The fan-out baseline (<see cref="Fanout.BaselineBroadcaster"/>) in a process of its own.</summary>
    public static Process StartBaseline(int port, double ticksPerSecond, bool batch) =>
        StartSelf("baseline", port.ToString(CultureInfo.InvariantCulture), ticksPerSecond.ToString(CultureInfo.InvariantCulture), batch ? "batch" : "single");

    /// <summary>This program again, with the given arguments; it prints "ready" when it serves.</summary>
    private static Process StartSelf(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (!Environment.ProcessPath!.EndsWith("MarketFeed.LoadTest", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(GatewayProcess).Assembly.Location);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs the gateway on the simulator at the given total rate, every instrument subscribed, until killed.</summary>
    public static async Task ServeAsync(int port, double ticksPerSecond)
    {
        var feed = new SimulatorFeed(new SimulatorOptions { TicksPerSecond = ticksPerSecond, StepInterval = TimeSpan.FromMilliseconds(5) }, TimeProvider.System);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 1 });
        await using Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = $"http://127.0.0.1:{port}", MaxClients = 5_000 });
        gateway.Subscriptions.Add(host.Instruments.All().Select(i => i.Symbol), FeedMode.Quote);
        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
    }
}
