using System.Globalization;
using MarketFeed.Cli;
using MarketFeed.LoadTest;
using MarketFeed.LoadTest.Fanout;
using MarketFeed.LoadTest.Soak;

// dotnet run -c Release --project bench/MarketFeed.LoadTest -- [clients] [symbolsPerClient] [ticksPerSecond] [seconds] [--batch] [--frozen] [--http]
//     (fan-out: the baseline broadcaster, then the gateway, same clients; see docs/benchmarks.md)
// dotnet run -c Release --project bench/MarketFeed.LoadTest -- kite [seconds]      (Kite end to end vs raw WebSocket)
// dotnet run -c Release --project bench/MarketFeed.LoadTest -- binance [seconds]   (Binance end to end vs raw WebSocket)
// dotnet run -c Release --project bench/MarketFeed.LoadTest -- soak [--duration 1h] [--rate 50000] [--clients 50] …   (see docs/benchmarks.md)
if (args.Length > 0 && args[0] == "soak")
{
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    Environment.ExitCode = await SoakCommand.RunAsync(args[1..], Console.Out, Console.Error, interrupted.Token);
    return;
}

// The soak's gateway: the real `marketfeed` command line in a process of its own.
if (args.Length > 0 && args[0] == "gateway")
{
    Environment.ExitCode = await CliApp.RunAsync(args[1..], new CliEnvironment(Console.Out, Console.Error, Console.In));
    return;
}

if (args.Length > 0 && args[0] == "serve")
{
    await GatewayProcess.ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture));
    return;
}

if (args.Length > 0 && args[0] == "baseline")
{
    await BaselineBroadcaster.ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 && args[3] == "batch");
    return;
}

if (args.Length > 0 && args[0] == "kite")
{
    await KiteEndToEnd.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5));
    return;
}

if (args.Length > 0 && args[0] == "binance")
{
    await BinanceEndToEnd.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5));
    return;
}

Environment.ExitCode = await FanoutCommand.RunAsync(args, Console.Out);
