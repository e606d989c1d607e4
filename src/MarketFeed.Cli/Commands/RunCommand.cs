using System.CommandLine;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Server;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed run [--feed NAME] [--symbols S,...] [--urls URL]</c>: the gateway with its API and dashboard.</summary>
internal static class RunCommand
{
    /// <summary>Tiles on a fresh dashboard when no symbols are configured: the feed's first non-option instruments.</summary>
    private const int DefaultSymbolCount = 16;

    public static Command Create(CliEnvironment environment)
    {
        Option<string> feed = CliOptions.Feed();
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols to subscribe at start (default: Server:Symbols, or a few of the feed's instruments)" };
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080); non-loopback needs Server:ApiToken" };
        var command = new Command("run", "The gateway: feed, hub, HTTP/WebSocket/SSE API and the dashboard") { feed, symbols, urls };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(feed)!, parse.GetValue(symbols), parse.GetValue(urls), token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string feed, string? symbols, string? urls, CancellationToken token)
    {
        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        var options = new ServerOptions();
        configuration.GetSection("Server").Bind(options);
        if (urls is not null)
        {
            options.Urls = urls;
        }

        await using MarketFeedHost host = await CliHost.StartAsync(environment, configuration, feed, token);
        string[] initial = symbols?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? (options.Symbols.Length > 0 ? options.Symbols : DefaultSymbols(host.Instruments));
        Instrument[] resolved = initial.Select(host.Resolve).ToArray();

        await using Gateway gateway = await Gateway.StartAsync(host, options, token);
        gateway.Subscriptions.Add(resolved.Select(i => i.Symbol), FeedMode.Quote);
        await environment.Output.WriteLineAsync($"MarketFeed gateway on {gateway.Address} (feed {feed}, {resolved.Length} symbols): dashboard at /, API at /api, press Ctrl+C to stop");
        await environment.Output.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    private static string[] DefaultSymbols(InstrumentRegistry instruments) =>
        [.. instruments.All().Where(i => !i.IsOption).Take(DefaultSymbolCount).Select(i => i.Symbol)];
}
