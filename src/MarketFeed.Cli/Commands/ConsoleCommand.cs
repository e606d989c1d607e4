using System.CommandLine;
using MarketFeed.Cli.Output;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed console [--feed]</c>: type a symbol to subscribe, <c>unsub SYMBOL</c>, <c>search TEXT</c>,
/// <c>status</c>, <c>quit</c>. Ticks print as they arrive (conflated to the latest per instrument, for people).
/// </summary>
internal static class ConsoleCommand
{
    private const string Help = "commands: SYMBOL (subscribe), unsub SYMBOL, search TEXT, status, help, quit";

    public static Command Create(CliEnvironment environment)
    {
        Option<string> feed = CliOptions.Feed();
        var command = new Command("console", "Interactive: subscribe and unsubscribe symbols, see status") { feed };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(feed)!, token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string feed, CancellationToken token)
    {
        await using MarketFeedHost host = await CliHost.StartAsync(environment, feed, "console", token);
        var outputGate = new Lock();
        void Say(string line)
        {
            lock (outputGate)
            {
                environment.Output.WriteLine(line);
                environment.Output.Flush();
            }
        }

        var formatter = new TickLineFormatter(24);
        await using MarketSubscription subscription = host.Subscribe([], new SubscriberOptions { TickPolicy = TickQueuePolicy.ConflateLatest });
        subscription.OnTick(tick => Say(formatter.Format(in tick, host.Instruments.Get(tick.Instrument))));
        Say($"marketfeed console on feed {feed}; {Help}");

        while (!token.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await environment.Input.ReadLineAsync(token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (line is null)
            {
                break;
            }

            string[] words = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                continue;
            }

            string verb = words[0].ToLowerInvariant();
            string argument = words.Length > 1 ? words[1] : "";
            try
            {
                switch (verb)
                {
                    case "quit" or "exit":
                        return 0;
                    case "help":
                        Say(Help);
                        break;
                    case "status":
                        foreach (string statusLine in StatusLines(host.Status()))
                        {
                            Say(statusLine);
                        }

                        break;
                    case "unsub":
                        Say(subscription.Remove(argument) ? $"unsubscribed {host.Resolve(argument).Symbol}" : $"not subscribed to {argument}");
                        break;
                    case "search":
                        foreach (Instrument found in host.Instruments.Search(argument, 10, asOfUtc: environment.Time.GetUtcNow().UtcDateTime))
                        {
                            Say($"  {found.Symbol}  ({found.Kind.Lower()})");
                        }

                        break;
                    case "sub":
                        Say($"subscribed {subscription.Add(argument).Symbol}");
                        break;
                    default:
                        Say($"subscribed {subscription.Add(line.Trim()).Symbol}");
                        break;
                }
            }
            catch (UnknownSymbolException e)
            {
                Say(e.Message);
            }
        }

        return 0;
    }

    private static IEnumerable<string> StatusLines(MarketStatus status)
    {
        foreach (FeedStatus feed in status.Feeds)
        {
            yield return $"feed {feed.Feed}: {feed.State.Snake()}, connections {feed.Connections}, reconnects {feed.Reconnects}, {feed.MessagesPerSecond} msg/s, {feed.Mode.Lower()}{(feed.PollingForced ? " (set)" : "")}{(feed.Latency is { } latency ? FormattableString.Invariant($", latency p50 {latency.P50Ms} ms p99 {latency.P99Ms} ms") : "")}{(feed.LastError is null ? "" : ", last error: " + feed.LastError)}";
        }

        foreach (InstrumentStatus instrument in status.Instruments)
        {
            string age = instrument.AgeMs is { } ms ? $"{ms} ms" : "-";
            yield return $"  {instrument.Symbol,-24} {instrument.State.Lower(),-12} age {age,-10} updates {instrument.Updates}";
        }

        yield return $"ticks accepted {status.Quality.Accepted}, unwanted dropped {status.Quality.DroppedUnwanted}, rejected {status.Quality.Rejected}";
    }
}
