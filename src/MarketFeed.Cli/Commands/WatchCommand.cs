using System.CommandLine;
using MarketFeed.Cli.Output;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed watch SYMBOL... [--feed] [--mode] [--count N] [--seconds S] [--format text|jsonl]</c></summary>
internal static class WatchCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var symbols = new Argument<string[]>("symbols") { Description = "Canonical symbols, e.g. NSE:RELIANCE \"NSE:NIFTY 50\"", Arity = ArgumentArity.OneOrMore };
        Option<string> feed = CliOptions.Feed();
        var mode = new Option<string>("--mode") { Description = "ltp, quote or full", DefaultValueFactory = _ => "quote" };
        mode.AcceptOnlyFromAmong("ltp", "quote", "full");
        var count = new Option<int?>("--count") { Description = "Exit after this many ticks" };
        var seconds = new Option<double?>("--seconds") { Description = "Exit after this many seconds" };
        var format = new Option<string>("--format") { Description = "text (aligned columns) or jsonl (the tick shape)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "jsonl");
        var authTimeout = new Option<double>("--auth-timeout")
        {
            Description = "Exit with code 1 once the feed has failed to authenticate for this many seconds",
            DefaultValueFactory = _ => 10,
        };

        var command = new Command("watch", "Stream ticks to stdout and exit after N ticks or S seconds (feed state changes on stderr)")
        {
            symbols, feed, mode, count, seconds, format, authTimeout,
        };
        command.SetAction((parse, token) => RunAsync(
            environment,
            parse.GetValue(symbols)!,
            parse.GetValue(feed)!,
            Enum.Parse<FeedMode>(parse.GetValue(mode)!, ignoreCase: true),
            parse.GetValue(count),
            parse.GetValue(seconds),
            parse.GetValue(format) == "jsonl",
            parse.GetValue(authTimeout),
            token));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string[] symbols, string feed, FeedMode mode, int? count, double? seconds, bool jsonl, double authTimeout, CancellationToken token)
    {
        if (count is <= 0 || seconds is <= 0 || authTimeout <= 0)
        {
            throw new UsageException("--count, --seconds and --auth-timeout must be positive");
        }

        await using MarketFeedHost host = await CliHost.StartAsync(environment, feed, "watch", token);
        Instrument[] instruments = symbols.Select(host.Resolve).ToArray();
        await using MarketSubscription subscription = host.Subscribe(instruments.Select(i => i.Symbol), new SubscriberOptions { Mode = mode });
        MarketNotices.Write(environment.Error, host.Feeds, instruments, environment.Time.GetUtcNow().UtcDateTime);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (seconds is { } limit)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(limit));
        }

        // A feed that keeps rejecting the credentials would otherwise leave the user looking at a bare header.
        string? authFailure = null;
        Task authWatch = FeedAuthWatch.FailureAsync(host, TimeSpan.FromSeconds(authTimeout), environment.Time, stop.Token).ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    authFailure = t.Result;
                    stop.Cancel();
                }
            },
            TaskScheduler.Default);

        var text = new TickLineFormatter(instruments.Max(i => i.Symbol.Length));
        var json = new JsonLines(environment.Output);
        if (!jsonl)
        {
            environment.Output.WriteLine(text.Header());
        }

        int written = 0;
        try
        {
            while (await subscription.Subscriber.WaitToReadTicksAsync(stop.Token))
            {
                while (subscription.Subscriber.TryReadTick(out Tick tick))
                {
                    Instrument instrument = host.Instruments.Get(tick.Instrument);
                    if (jsonl)
                    {
                        json.Write(w => TickJson.Write(w, in tick, instrument));
                    }
                    else
                    {
                        environment.Output.WriteLine(text.Format(in tick, instrument));
                    }

                    if (++written == count)
                    {
                        return 0;
                    }
                }

                await environment.Output.FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // --seconds elapsed, Ctrl+C, or the feed cannot authenticate (below).
        }
        finally
        {
            await environment.Output.FlushAsync(CancellationToken.None);
            await stop.CancelAsync();
            await authWatch;
        }

        if (authFailure is not null)
        {
            await environment.Error.WriteLineAsync("marketfeed: " + authFailure);
            return 1;
        }

        return 0;
    }
}
