using System.CommandLine;
using MarketFeed.Cli.Commands;
using MarketFeed.Feeds;
using MarketFeed.Instruments;

namespace MarketFeed.Cli;

/// <summary>
/// The <c>marketfeed</c> command. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input; errors are
/// one line on stderr saying what was wrong and how to fix it (a stack trace only with <c>--verbose</c>).
/// </summary>
public static class CliApp
{
    public static RootCommand Build(CliEnvironment environment)
    {
        var root = new RootCommand("MarketFeed: live market data from broker and exchange feeds, normalized, with candles and health")
        {
            RunCommand.Create(environment),
            WatchCommand.Create(environment),
            ConsoleCommand.Create(environment),
            DoctorCommand.Create(environment),
            InstrumentsCommand.Create(environment),
            CandlesCommand.Create(environment),
            ChainCommand.Create(environment),
            EmulateCommand.Create(environment),
            RecordCommand.Create(environment),
            ReplayCommand.Create(environment),
            JournalCommand.Create(environment),
            HistoryCommand.Create(environment),
            SimulatorCommand.Create(environment),
        };
        root.Add(CliOptions.Verbose);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment)
    {
        ParseResult parsed = Build(environment).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string message = string.Join(' ', parsed.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            await environment.Error.WriteLineAsync($"marketfeed: {message} (see 'marketfeed --help')");
            return 2;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(environment.Cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = environment.Output, Error = environment.Error, EnableDefaultExceptionHandler = false },
                cancel.Token);
        }
        catch (Exception e) when (IsUsageError(e))
        {
            await environment.Error.WriteLineAsync("marketfeed: " + e.Message);
            return 2;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            await environment.Error.WriteLineAsync(parsed.GetValue(CliOptions.Verbose) ? "marketfeed: " + e : $"marketfeed: {e.Message} (run with --verbose for details)");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static bool IsUsageError(Exception e) =>
        e is UsageException or UnknownSymbolException or UnknownFeedException or MarketFeed.Server.Security.GatewayConfigurationException
            or MarketFeed.Journal.JournalException or MarketFeed.Chains.NoOptionsException or MarketFeed.Chains.UnknownExpiryException;
}
