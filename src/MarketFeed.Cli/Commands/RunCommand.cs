using System.CommandLine;
using MarketFeed.Bus;
using MarketFeed.Bus.Publishing;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Server;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed run [--feed NAME[,NAME...]] [--symbols S,...] [--urls URL] [--record DIR]</c>: the gateway with its API and
/// dashboard, over one feed or several side by side (each with its own connections and health); with <c>--record</c> it also records the feed's raw frames and the hub's events into a journal, its state
/// in <c>/api/status</c> (<c>journal</c>) and <c>/metrics</c> (<c>marketfeed_journal_*</c>). Closed candles are written to
/// the <c>History</c> store (SQLite in the data directory unless configured otherwise; <c>store</c> in the status).
/// </summary>
internal static class RunCommand
{
    /// <summary>Tiles on a fresh dashboard when no symbols are configured: the feed's first non-option instruments.</summary>
    private const int DefaultSymbolCount = 16;

    public static Command Create(CliEnvironment environment)
    {
        Option<string?> feed = CliOptions.Feeds();
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols to subscribe at start (default: Server:Symbols, or a few of the feed's instruments)" };
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080); non-loopback needs Server:ApiToken" };
        var record = new Option<string?>("--record") { Description = "Also record the feed's raw frames and normalized events into this journal directory" };
        var command = new Command("run", "The gateway: feed, hub, HTTP/WebSocket/SSE API and the dashboard") { feed, symbols, urls, record };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(feed), parse.GetValue(symbols), parse.GetValue(urls), parse.GetValue(record), token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string? feeds, string? symbols, string? urls, string? record, CancellationToken token)
    {
        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        string feed;
        try
        {
            feed = string.Join(',', FeedModes.Names(feeds ?? configuration["Feed"] ?? "sim"));
        }
        catch (MarketFeed.Feeds.FeedConfigurationException e)
        {
            throw new UsageException(e.Message);
        }

        if (record is not null && feed.Contains(',', StringComparison.Ordinal))
        {
            throw new UsageException($"'run --record' records one feed, not '{feed}': record each feed with its own 'marketfeed record --feed NAME'");
        }

        var options = new ServerOptions();
        configuration.GetSection("Server").Bind(options);
        if (urls is not null)
        {
            options.Urls = urls;
        }

        MarketFeed.History.CandleStoreOptions history = CliHistory.Options(configuration, feed);
        JournalRecording? recording = record is null ? null
            : await JournalRecording.StartAsync(environment, configuration, feed, JournalRecording.Options(configuration, record), token, history);
        try
        {
            MarketFeedHost host = recording?.Host ?? await CliHost.StartAsync(environment, configuration, feed, token, history: history);
            ReconciliationOptions reconciliation = configuration.GetSection("History:Reconciliation").Get<ReconciliationOptions>() ?? new ReconciliationOptions();
            if (reconciliation.Enabled)
            {
                host.StartReconciliation(reconciliation);
            }

            await using (recording is null ? host : null)
            {
                await ServeAsync(environment, host, options, feed, symbols, recording, record, token);
            }
        }
        finally
        {
            if (recording is not null)
            {
                await recording.StopAsync();
                await environment.Output.WriteLineAsync(recording.Summary());
            }
        }

        return 0;
    }

    private static async Task ServeAsync(CliEnvironment environment, MarketFeedHost host, ServerOptions options, string feed, string? symbols, JournalRecording? recording, string? recordInto, CancellationToken token)
    {
        string[] initial = symbols?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? (options.Symbols.Length > 0 ? options.Symbols : DefaultSymbols(host));
        Instrument[] resolved = initial.Select(host.Resolve).ToArray();

        await using Gateway gateway = await Gateway.StartAsync(host, options, token);
        gateway.Subscriptions.Add(resolved.Select(i => i.Symbol), FeedMode.Quote);
        await using BusPublisher? publisher = StartPublisher(environment, host, feed);

        // The raw log names what was subscribed at start, so a raw replay can ask the recorded feed for the same.
        recording?.MarkSymbols(resolved.Select(i => i.Symbol));
        string recordingInto = recording is null ? "" : $", recording into {Path.GetFullPath(recordInto!)}";
        string publishing = publisher is null ? "" : $", publishing shards {string.Join(',', publisher.Shards)} to the bus as {publisher.GatewayId}";
        await environment.Output.WriteLineAsync($"MarketFeed gateway on {gateway.Address} (feed{(host.Feeds.Count > 1 ? "s" : "")} {feed}, {resolved.Length} symbols{recordingInto}{publishing}): dashboard at /, API at /api, press Ctrl+C to stop");
        await environment.Output.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// With <c>Bus:Url</c> set, the gateway publishes what its hub admits (unless its feed is the bus itself). A broker
    /// that cannot be reached is logged once and shown in status; the gateway serves on.
    /// </summary>
    private static BusPublisher? StartPublisher(CliEnvironment environment, MarketFeedHost host, string feed)
    {
        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        BusOptions options = BusOptions.From(configuration);
        if (!options.Enabled || FeedModes.Names(feed).Contains(MarketFeed.Bus.Consuming.BusFeed.FeedName, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        // A restarted gateway resumes its sequences: its marks live in the data directory (beside the candle store) unless
        // Bus:StateDirectory names another place, or "none" (every start begins again, in a new epoch).
        options.StateDirectory = options.StateDirectory?.Trim() switch
        {
            null or "" => Path.Combine(CandleStoreOptions.From(configuration).Directory ?? CandleStoreOptions.DefaultDirectory, "bus"),
            "none" => null,
            string directory => directory,
        };

        BusPublisher publisher;
        try
        {
            publisher = BusPublisher.Start(host, options, environment.LoggerFactory);
        }
        catch (Exception e) when (e is MarketFeed.Feeds.FeedConfigurationException or UnknownSymbolException)
        {
            throw new UsageException(e.Message);
        }

        host.ReportBus(publisher.Status);
        return publisher;
    }

    /// <summary>With several feeds, an equal share from each, so every venue has tiles.</summary>
    private static string[] DefaultSymbols(MarketFeedHost host)
    {
        int each = Math.Max(4, DefaultSymbolCount / host.Feeds.Count);
        return [.. host.Feeds.SelectMany(f => host.Instruments.All().Where(i => i.Feed == f.Name && !i.IsOption
            && host.Instruments.TryGetBySymbol(i.Symbol, out Instrument? owner) && owner.Id == i.Id).Take(each)).Select(i => i.Symbol)];
    }
}
