using System.Globalization;
using MarketFeed.Cli.Output;
using MarketFeed.Emulators;
using MarketFeed.Emulators.Replay;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Venues;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed replay DIR --raw</c>: plays the raw log to the recorded venue's own feed (its feed session and
/// decoder) through a <see cref="RawReplayServer"/> on 127.0.0.1, so the hub re-derives the normalized events.
/// </summary>
internal static class RawReplay
{
    /// <summary>True when the journal has a raw log but no events log: replaying it means replaying raw.</summary>
    public static bool OnlyRaw(string directory) =>
        JournalFiles.Segments(directory, JournalLogKind.Normalized).Count == 0 && JournalFiles.Segments(directory, JournalLogKind.Raw).Count > 0;

    public static async Task<int> RunAsync(CliEnvironment environment, JournalReplayOptions options, string? symbols, CancellationToken token)
    {
        RawRecording recording;
        try
        {
            recording = RawRecording.Load(options.Directory, options.From, options.To);
        }
        catch (JournalException e)
        {
            throw new UsageException(e.Message);
        }

        IVenueModule module = KnownVenues.Find(recording.Source) ?? throw new UsageException(
            $"{options.Directory}: the raw log was recorded from '{recording.Source}', which this build has no decoder for; venues: {string.Join(", ", KnownVenues.Names)}");
        string[] wanted = symbols?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [.. recording.Symbols];
        if (wanted.Length == 0)
        {
            throw new UsageException($"{options.Directory}: the raw log does not name its symbols; name them with --symbols");
        }

        await using RawReplayServer server = await RawReplayServer.StartAsync(recording, new RawReplayOptions { Speed = options.Speed }, token);
        using var instrumentCache = new ScratchDirectory("marketfeed-replay-");
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(module.ConfigurationFor(server.Address, instrumentCache.Path))
            .Build();
        IFeed feed = module.Feed.Create(configuration, environment.Time);
        await using MarketFeedHost host = await MarketFeedHost.CreateAsync([feed], new HubOptions(), environment.Time, environment.LoggerFactory, token);
        await using MarketSubscription subscription = host.Subscribe(wanted, new SubscriberOptions { Mode = FeedMode.Full, TickPolicy = TickQueuePolicy.ConflateLatest });
        host.StartFeeds();
        var started = System.Diagnostics.Stopwatch.StartNew();
        long ticks = 0;
        int total = recording.InboundFrames;
        var progress = new ProgressBar(environment.Error, "replay", environment.Time);
        try
        {
            while (!server.Finished)
            {
                await Task.Delay(250, token);
                ticks += Drain(subscription);
                progress.Report(total == 0 ? 1 : (double)server.FramesSent / total,
                    string.Create(CultureInfo.InvariantCulture, $"{server.FramesSent:N0} of {total:N0} {recording.Source} frames, {ticks:N0} ticks"));
            }

            // The last frames are still being decoded: flush until nothing more arrives for a moment.
            for (int quiet = 0; quiet < 2;)
            {
                await host.Hub.FlushAsync();
                await Task.Delay(200, token);
                long more = Drain(subscription);
                ticks += more;
                quiet = more == 0 ? quiet + 1 : 0;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }

        await environment.Error.WriteLineAsync();
        await environment.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"replayed {server.FramesSent:N0} raw frames of {recording.Connections.Count} connections and {recording.Rest.Count} REST answers through the {recording.Source} decoder: {ticks:N0} ticks of {wanted.Length} instruments in {started.Elapsed.TotalSeconds:0.0} s ({feed.Health.MalformedFrames:N0} malformed)"));
        return 0;
    }

    private static long Drain(MarketSubscription subscription)
    {
        long count = 0;
        while (subscription.Subscriber.TryReadTick(out _))
        {
            count++;
        }

        return count;
    }
}
