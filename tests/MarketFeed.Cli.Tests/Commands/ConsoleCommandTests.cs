using MarketFeed.Cli.Tests.TestSupport;

namespace MarketFeed.Cli.Tests.Commands;

public class ConsoleCommandTests
{
    [Fact]
    public async Task Subscribe_see_ticks_status_unsubscribe_and_quit()
    {
        var input = new TypedInput();
        var output = new ConcurrentStringWriter();
        Task<CliRun> running = Task.Run(() => CliRun.Run(input, output, "console"));
        input.Type("NSE:INFY");
        input.Type("NSE:NOPE");
        input.Type("status");

        // Wait for live ticks to print before asking for status again and leaving.
        await WaitForAsync(() => output.ToString().Split('\n').Count(l => l.StartsWith("NSE:INFY ", StringComparison.Ordinal)) >= 3);
        input.Type("status");
        input.Type("unsub NSE:INFY");
        input.Type("quit");
        CliRun run = await running;

        Assert.Equal(0, run.ExitCode);
        string text = run.Output.ToString();
        Assert.Contains("subscribed NSE:INFY", text);
        Assert.Contains("unknown symbol 'NSE:NOPE'", text);
        Assert.Contains("feed sim: connected", text);
        // After live ticks, the second status says how the feed's data arrives and how late it is.
        Assert.Matches(@"feed sim: connected, connections \d+, reconnects 0, [\d.,]+ msg/s, stream, latency p50 [\d.]+ ms p99 [\d.]+ ms", text);
        Assert.Contains(run.OutputLines, l => l.StartsWith("NSE:INFY ", StringComparison.Ordinal));
        Assert.Contains(run.OutputLines, l => l.Contains("NSE:INFY", StringComparison.Ordinal) && l.Contains("live", StringComparison.Ordinal));
        Assert.Contains("unsubscribed NSE:INFY", text);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1_000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out waiting for console output");
    }

    [Fact]
    public async Task End_of_input_exits_cleanly()
    {
        CliRun run = await CliRun.Run(new StringReader("BINANCE:BTCUSDT\n"), "console");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("subscribed BINANCE:BTCUSDT", run.Output.ToString());
    }
}
