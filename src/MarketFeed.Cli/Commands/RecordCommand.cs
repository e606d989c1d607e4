using System.CommandLine;
using System.Globalization;
using MarketFeed.Hosting;
using MarketFeed.Journal;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed record --feed NAME --symbols S,... --out DIR [--mode M] [--seconds S]</c>: records the feed's raw frames
/// and the hub's normalized events into a journal until Ctrl+C (or S seconds), showing progress on stderr.
/// </summary>
internal static class RecordCommand
{
    public static Command Create(CliEnvironment environment)
    {
        Option<string> feed = CliOptions.Feed();
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols to record", Required = true };
        var output = new Option<string>("--out") { Description = "The journal directory (created if missing; an existing journal is appended to)", Required = true };
        var mode = new Option<FeedMode>("--mode") { Description = "ltp, quote (default) or full", DefaultValueFactory = _ => FeedMode.Quote };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until Ctrl+C)" };
        var command = new Command("record", "Record a feed's raw frames and normalized events into a journal") { feed, symbols, output, mode, seconds };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(feed)!, parse.GetValue(symbols)!, parse.GetValue(output)!, parse.GetValue(mode), parse.GetValue(seconds), token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string feed, string symbols, string output, FeedMode mode, double? seconds, CancellationToken token)
    {
        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        JournalOptions options = JournalRecording.Options(configuration, output);
        await using JournalRecording recording = await JournalRecording.StartAsync(environment, configuration, feed, options, token);
        string[] wanted = symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using MarketSubscription subscription = recording.Host.Subscribe(wanted, new Hub.SubscriberOptions { Mode = mode });
        recording.MarkSymbols(wanted);
        await environment.Output.WriteLineAsync($"recording {feed} ({wanted.Length} symbols, {mode.ToString().ToLowerInvariant()}) into {options.Directory}: Ctrl+C to stop");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (seconds is { } limit)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(limit));
        }

        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
                await environment.Error.WriteAsync("\r" + recording.Progress());
            }
        }
        catch (OperationCanceledException)
        {
        }

        JournalRecorderStatus status = await recording.StopAsync();
        await environment.Error.WriteLineAsync();
        await environment.Output.WriteLineAsync(recording.Summary());
        return status.State == JournalRecorderState.Failed ? 1 : 0;
    }
}
