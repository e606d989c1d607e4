using System.CommandLine;
using MarketFeed.Chains;
using MarketFeed.Cli.Output;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Serialization;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed chain UNDERLYING [--expiry yyyy-MM-dd] [--strikes N] [--feed] [--mode] [--interval S] [--count N]
/// [--seconds S] [--format table|jsonl]</c>: a live option chain. The table is redrawn in place on a terminal and
/// printed whole each interval when the output is redirected; jsonl prints the chain shape (a snapshot, then the
/// strikes that changed).
/// </summary>
internal static class ChainCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var underlying = new Argument<string>("underlying") { Description = "An option root (NIFTY, BANKNIFTY) or the underlying's symbol" };
        var expiry = new Option<string?>("--expiry") { Description = "Expiry as yyyy-MM-dd (default: the nearest not yet expired)" };
        var strikes = new Option<int?>("--strikes") { Description = "Strikes each side of the money (default Chains:StrikesEachSide, 10)" };
        Option<string> feed = CliOptions.Feed();
        var mode = new Option<string>("--mode") { Description = "ltp, quote or full", DefaultValueFactory = _ => "quote" };
        mode.AcceptOnlyFromAmong("ltp", "quote", "full");
        var interval = new Option<double>("--interval") { Description = "Seconds between tables", DefaultValueFactory = _ => 1 };
        var count = new Option<int?>("--count") { Description = "Exit after this many tables (or JSON lines)" };
        var seconds = new Option<double?>("--seconds") { Description = "Exit after this many seconds" };
        var format = new Option<string>("--format") { Description = "table (a live table) or jsonl (the chain shape)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "jsonl");
        var command = new Command("chain", "A live option chain: every strike's LTP, OI and its change, volume, IV and delta for calls and puts, with ATM, PCR and max pain")
        {
            underlying, expiry, strikes, feed, mode, interval, count, seconds, format,
        };
        command.SetAction((parse, token) => RunAsync(
            environment,
            parse.GetValue(underlying)!,
            parse.GetValue(expiry),
            parse.GetValue(strikes),
            parse.GetValue(feed)!,
            Enum.Parse<FeedMode>(parse.GetValue(mode)!, ignoreCase: true),
            parse.GetValue(interval),
            parse.GetValue(count),
            parse.GetValue(seconds),
            parse.GetValue(format) == "jsonl",
            token));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string underlying, string? expiry, int? strikes, string feed, FeedMode mode, double interval, int? count, double? seconds,
        bool jsonl, CancellationToken token)
    {
        if (count is <= 0 || seconds is <= 0 || interval <= 0)
        {
            throw new UsageException("--count, --seconds and --interval must be positive");
        }

        await using MarketFeedHost host = await CliHost.StartAsync(environment, feed, "chain", token);
        int max = host.Chains.Options.MaxStrikesEachSide;
        if (strikes is { } each && (each < 1 || each > max))
        {
            throw new UsageException($"--strikes must be 1 to {max} (strikes each side of the money)");
        }

        await using LiveChain chain = host.Chains.Open(underlying, expiry, strikes, mode);
        using ChainReader reader = chain.OpenReader();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (seconds is { } limit)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(limit));
        }

        bool redraw = !jsonl && ReferenceEquals(environment.Output, Console.Out) && !Console.IsOutputRedirected;
        var json = new JsonLines(environment.Output);
        int written = 0;
        try
        {
            if (!jsonl)
            {
                await chain.WaitForDataAsync(TimeSpan.FromSeconds(Math.Max(interval, 2)), stop.Token);
            }

            while (!stop.IsCancellationRequested)
            {
                if (jsonl)
                {
                    ChainView? view = await reader.ReadAsync(stop.Token);
                    if (view is null)
                    {
                        break;
                    }

                    json.Write(w => ChainJson.Write(w, view, host.Chains.Options.RiskFreeRate));
                }
                else
                {
                    environment.Output.Write((redraw ? "\u001b[H\u001b[2J" : written > 0 ? Environment.NewLine : "") + ChainTable.Format(chain.Snapshot()));
                }

                await environment.Output.FlushAsync(CancellationToken.None);
                if (++written == count)
                {
                    return 0;
                }

                if (!jsonl)
                {
                    await Task.Delay(TimeSpan.FromSeconds(interval), environment.Time, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // --seconds elapsed or Ctrl+C.
        }
        finally
        {
            await environment.Output.FlushAsync(CancellationToken.None);
        }

        return 0;
    }
}
