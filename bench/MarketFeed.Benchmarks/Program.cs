using BenchmarkDotNet.Running;
using MarketFeed.Benchmarks;

if (args.Length > 0 && args[0] == "footprint")
{
    FootprintReport.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(HubPathBenchmarks).Assembly).Run(args);
