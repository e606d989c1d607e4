using MarketFeed.Venues;
using System.Globalization;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Emulators;

namespace MarketFeed.Benchmarks;

/// <summary>
/// <c>fuzz VENUE|all [FRAMES] [SEED]</c>: the decoder fuzz run of the test suite, long — FRAMES (default 1,000,000)
/// fuzzed frames through the venue's real feed session over loopback, as fast as the loop goes. Prints the account of
/// every frame and exits 1 when any check failed.
/// </summary>
internal static class DecoderFuzzCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string venue = args.Length > 0 ? args[0] : "all";
        long frames = args.Length > 1 ? long.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 1_000_000;
        long seed = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        string[] venues = venue == "all" ? [.. KnownVenues.Names] : [venue];
        bool passed = true;
        foreach (string name in venues)
        {
            if (KnownVenues.Find(name)?.StartFuzzRigAsync(CancellationToken.None) is not { } starting)
            {
                Console.Error.WriteLine($"no fuzz rig for '{name}': use {string.Join(", ", KnownVenues.Names)} or all");
                return 2;
            }

            await using IFuzzRig rig = await starting;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzzing {rig.Venue}: {frames:N0} frames, seed {seed}, frame limit {rig.MaxFrameBytes:N0} B"));
            using var done = new CancellationTokenSource();
            Task progress = ReportProgressAsync(rig, frames, done.Token);
            FuzzReport report = await DecoderFuzzRun.RunAsync(rig, new FuzzRunOptions { Frames = frames, Seed = seed, FramesPerStep = 500 });
            await done.CancelAsync();
            await progress;
            foreach (string line in report.Describe())
            {
                Console.WriteLine(line);
            }

            passed &= report.Passed;
        }

        return passed ? 0 : 1;
    }

    private static async Task ReportProgressAsync(IFuzzRig rig, long frames, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … {rig.Tally.Sent:N0} of {frames:N0} sent, feed {rig.Health.State}"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
