using System.CommandLine;
using System.Globalization;
using MarketFeed.Cli.Output;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Server;
using MarketFeed.Time;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed replay DIR [--from T] [--to T] [--speed 1|10|max] [--symbols S,...] [--serve] [--urls URL]</c>: plays a
/// recording's events through the hub on the recorded clock; with <c>--serve</c> the gateway and dashboard run on it.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var directory = new Argument<string>("directory") { Description = "The journal directory" };
        var from = new Option<string?>("--from") { Description = "Start at this instant (ISO 8601, e.g. 2026-11-20T09:30:00+05:30)" };
        var to = new Option<string?>("--to") { Description = "Stop before this instant (ISO 8601)" };
        var speed = new Option<string>("--speed") { Description = "1 (recorded pace, default), 10, … or max", DefaultValueFactory = _ => "1" };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols to replay (default: every recorded instrument)" };
        var serve = new Option<bool>("--serve") { Description = "Run the gateway and dashboard on the replay" };
        var urls = new Option<string?>("--urls") { Description = "With --serve: where to listen (default http://127.0.0.1:5080)" };
        var raw = new Option<bool>("--raw") { Description = "Replay the raw frames through the recorded venue's own decoder (the default when there is no events log)" };
        var command = new Command("replay", "Replay a recording through the hub on its recorded clock") { directory, from, to, speed, symbols, serve, urls, raw };
        command.SetAction((parse, token) => RunAsync(
            environment,
            parse.GetValue(raw),
            new JournalReplayOptions
            {
                Directory = parse.GetValue(directory)!,
                From = Instant(parse.GetValue(from), "--from"),
                To = Instant(parse.GetValue(to), "--to"),
                Speed = Speed(parse.GetValue(speed)!),
            },
            parse.GetValue(symbols),
            parse.GetValue(serve),
            parse.GetValue(urls),
            token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, bool raw, JournalReplayOptions options, string? symbols, bool serve, string? urls, CancellationToken token)
    {
        if (raw || RawReplay.OnlyRaw(options.Directory))
        {
            return serve
                ? throw new UsageException("--serve replays the events log; a raw replay (--raw) runs without it")
                : await RawReplay.RunAsync(environment, options, symbols, token);
        }

        DateTime first;
        try
        {
            first = JournalReplayFeed.FirstInstant(options) ?? throw new UsageException($"{options.Directory}: no events in the range to replay");
        }
        catch (JournalException e)
        {
            throw new UsageException(e.Message);
        }

        var clock = new ManualTimeProvider(new DateTimeOffset(first));
        var feed = new JournalReplayFeed(options, clock);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions(), clock, cancellationToken: token);
        string[] wanted = symbols?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [.. host.Instruments.All().Select(i => i.Symbol)];
        await using MarketSubscription subscription = host.Subscribe(wanted, new SubscriberOptions { Mode = FeedMode.Full, TickPolicy = TickQueuePolicy.ConflateLatest });
        Gateway? gateway = null;
        try
        {
            if (serve)
            {
                IConfiguration configuration = CliConfiguration.Build(environment, out _);
                var server = new ServerOptions();
                configuration.GetSection("Server").Bind(server);
                server.Urls = urls ?? server.Urls;
                gateway = await Gateway.StartAsync(host, server, token);
                gateway.Subscriptions.Add(wanted.Take(16), FeedMode.Quote);
                await environment.Output.WriteLineAsync($"MarketFeed gateway on {gateway.Address} replaying {options.Directory}: dashboard at /, API at /api, press Ctrl+C to stop");
            }

            // Progress is how far the recorded clock has come between the first event and the last one to replay.
            DateTime last = LastInstant(options) is { } recorded && (options.To is not { } to || recorded < to) ? recorded : options.To ?? first;
            double span = Math.Max(1, (last - first).Ticks);
            var progress = new ProgressBar(environment.Error, "replay", environment.Time);
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (!feed.Finished)
            {
                await Task.Delay(250, token);
                DateTime now = clock.GetUtcNow().UtcDateTime;
                progress.Report((now - first).Ticks / span, string.Create(CultureInfo.InvariantCulture, $"{now:yyyy-MM-dd HH:mm:ss} UTC, {feed.Published:N0} ticks"));
                while (subscription.Subscriber.TryReadTick(out _))
                {
                }
            }

            await host.Hub.FlushAsync();
            progress.Report(1, string.Create(CultureInfo.InvariantCulture, $"{feed.Published:N0} ticks"));
            await environment.Error.WriteLineAsync();
            await environment.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"replayed {feed.Published:N0} ticks of {wanted.Length} instruments, {first:yyyy-MM-dd HH:mm:ss} to {clock.GetUtcNow():HH:mm:ss} UTC, in {started.Elapsed.TotalSeconds:0.0} s"));
            if (serve)
            {
                await Task.Delay(Timeout.Infinite, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }
        }

        return 0;
    }

    internal static DateTime? Instant(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at.UtcDateTime
        : throw new UsageException($"{option} '{text}' is not an instant: use ISO 8601, e.g. 2026-11-20T09:30:00+05:30");

    private static double Speed(string text) =>
        text.Equals("max", StringComparison.OrdinalIgnoreCase) ? 0
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double speed) && speed > 0 && double.IsFinite(speed) ? speed
        : throw new UsageException($"--speed '{text}' is not valid: use 1, 10, … or max");

    /// <summary>The time of the events log's last record (its last segment is read), or null when there is none.</summary>
    private static DateTime? LastInstant(JournalReplayOptions options) =>
        JournalFiles.Segments(options.Directory, JournalLogKind.Normalized) is { Count: > 0 } segments ? SegmentSummary.Of(segments[^1]).Last : null;
}
