using BenchmarkDotNet.Running;
using MarketFeed.Benchmarks;

if (args.Length > 0 && args[0] == "footprint")
{
    FootprintReport.Run();
    return;
}

if (args.Length > 0 && args[0] == "fuzz")
{
    Environment.ExitCode = await DecoderFuzzCommand.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "journal-kill")
{
    Environment.ExitCode = await JournalKillRun.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "journal-kill-child")
{
    Environment.ExitCode = await JournalKillRun.WriteForeverAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args.Length > 0 && args[0] == "decoder-ratio")
{
    DecoderRatioRun.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

if (args.Length > 0 && args[0] == "store-ratio")
{
    await MarketFeed.Benchmarks.Stores.StoreRatioRun.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}

if (args.Length > 0 && args[0] == "bus")
{
    Environment.ExitCode = await MarketFeed.Benchmarks.Bus.BusRatioRun.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "history-bootstrap")
{
    Environment.ExitCode = await HistoryBootstrapRun.RunAsync(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "pipeline")
{
    double rate = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
    await PipelineRun.RunAsync(rate, instruments: 20, TimeSpan.FromSeconds(5), books: args.Length > 2 && args[2] == "books");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(HubPathBenchmarks).Assembly).Run(args);
