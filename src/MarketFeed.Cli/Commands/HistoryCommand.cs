using System.CommandLine;
using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.Cli.Output;
using MarketFeed.History;
using MarketFeed.Serialization;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary>
/// <c>marketfeed history export SYMBOL --interval 3m --from T [--to T] [--format csv|jsonl] [--out FILE] [--feed NAME]</c>:
/// the stored bars of one series (the <c>History</c> store <c>run</c> writes), oldest first, times in UTC, prices exact.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var symbol = new Argument<string>("symbol") { Description = "The instrument, as stored (e.g. NSE:INFY, BINANCE:BTCUSDT)" };
        var interval = new Option<string>("--interval") { Description = "Bar length: 1s-59s, 1m-1440m, 1h-24h or 1d (e.g. 3m)", Required = true };
        var from = new Option<string>("--from") { Description = "First bar start (ISO 8601; UTC unless an offset is given), e.g. 2026-11-20 or 2026-11-20T09:15:00+05:30", Required = true };
        var to = new Option<string?>("--to") { Description = "End of the range, exclusive (default: now)" };
        var format = new Option<string>("--format") { Description = "csv or jsonl", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout" };
        var feed = new Option<string?>("--feed") { Description = "The feed whose store to read (default: Feed, or sim; the simulator's bars are kept apart)" };
        var export = new Command("export", "Write a series' stored bars as CSV or JSON lines") { symbol, interval, from, to, format, output, feed };
        export.SetAction((parse, token) => ExportAsync(
            environment, parse.GetValue(symbol)!, parse.GetValue(interval)!, parse.GetValue(from)!, parse.GetValue(to), parse.GetValue(format)!, parse.GetValue(output), parse.GetValue(feed), token));
        return new Command("history", "Stored candles") { export };
    }

    private static async Task<int> ExportAsync(
        CliEnvironment environment, string symbol, string intervalText, string fromText, string? toText, string format, string? outPath, string? feed, CancellationToken token)
    {
        if (!CandleInterval.TryParse(intervalText, out CandleInterval interval, out string? error))
        {
            throw new UsageException(error);
        }

        DateTime fromUtc = ReplayCommand.Instant(fromText, "--from")!.Value;
        DateTime toUtc = ReplayCommand.Instant(toText, "--to") ?? environment.Time.GetUtcNow().UtcDateTime;
        if (fromUtc >= toUtc)
        {
            throw new UsageException($"--from {fromUtc:yyyy-MM-ddTHH:mm:ssZ} is not before --to {toUtc:yyyy-MM-ddTHH:mm:ssZ}");
        }

        // Stored symbols are canonical: upper case, with their exchange (the store is read without the feed's instrument list).
        symbol = symbol.Trim().ToUpperInvariant();
        if (!symbol.Contains(':', StringComparison.Ordinal))
        {
            throw new UsageException($"'{symbol}': give the symbol with its exchange, as stored (e.g. NSE:{symbol})");
        }

        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        string feedName = feed ?? configuration["Feed"] ?? "sim";
        if (!environment.Catalog.TryGet(feedName, out _))
        {
            throw new UsageException(new MarketFeed.Feeds.UnknownFeedException(feedName, [.. environment.Catalog.Factories.Select(f => f.Name).Order()]).Message);
        }

        CandleStoreOptions options = CliHistory.Options(configuration, feedName);
        await using ICandleStore store = options.CreateStore() ?? throw new UsageException("History:Store is none: no candles are stored to export");
        await store.OpenAsync(token);

        StreamWriter? file = outPath is null ? null : OpenOutput(outPath);
        await using (file)
        {
            TextWriter writer = file ?? environment.Output;
            ProgressBar? progress = IsTerminal(environment) ? new ProgressBar(environment.Error, "export", environment.Time) : null;
            long bars = 0;
            var json = new JsonLines(writer);
            if (format == "csv")
            {
                await writer.WriteLineAsync("symbol,interval,start,end,open,high,low,close,volume,ticks,flags");
            }

            await foreach (Candle c in CandleRangeReader.ReadAsync(store, symbol, interval, fromUtc, toUtc, f => progress?.Report(f, $"{bars:N0} bars"), token))
            {
                bars++;
                if (format == "csv")
                {
                    await writer.WriteLineAsync(string.Join(',', Csv(symbol), interval.Label, Utc(c.Start), Utc(c.End), c.Open, c.High, c.Low, c.Close, c.Volume, c.Ticks.ToString(CultureInfo.InvariantCulture), string.Join('|', Flags(c.Flags))));
                }
                else
                {
                    json.Write(w => WriteJson(w, symbol, interval, c));
                }
            }

            progress?.Clear();
            if (bars == 0)
            {
                await environment.Error.WriteLineAsync($"marketfeed: no stored {interval} bars for {symbol} from {Utc(fromUtc)} to {Utc(toUtc)} in {store.Description}");
            }
            else if (file is not null)
            {
                await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{bars:N0} bars written to {Path.GetFullPath(outPath!)}"));
            }
        }

        return 0;
    }

    private static StreamWriter OpenOutput(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            string reason = e switch
            {
                DirectoryNotFoundException => $"the directory {Path.GetDirectoryName(Path.GetFullPath(path))} does not exist",
                UnauthorizedAccessException => "not allowed to write there",
                _ => e.Message,
            };
            throw new UsageException($"--out {path}: {reason}");
        }
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter w, string symbol, CandleInterval interval, Candle c)
    {
        w.WriteStartObject();
        w.WriteString("symbol", symbol);
        w.WriteString("interval", interval.Label);
        w.WriteString("start", Utc(c.Start));
        w.WriteString("end", Utc(c.End));
        JsonValues.WritePrice(w, "open", c.Open);
        JsonValues.WritePrice(w, "high", c.High);
        JsonValues.WritePrice(w, "low", c.Low);
        JsonValues.WritePrice(w, "close", c.Close);
        JsonValues.WriteQuantity(w, "volume", c.Volume);
        w.WriteNumber("ticks", c.Ticks);
        w.WriteStartArray("flags");
        foreach (string flag in Flags(c.Flags))
        {
            w.WriteStringValue(flag);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The bar's flags by name (closed, flat, history, partial, revised, backfilled).</summary>
    private static IEnumerable<string> Flags(CandleFlags flags) =>
        Enum.GetValues<CandleFlags>().Where(f => f != CandleFlags.None && flags.HasFlag(f)).Select(f => f.Lower());

    private static string Utc(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Csv(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    /// <summary>A progress bar only on a real terminal: never into a captured or redirected stderr.</summary>
    private static bool IsTerminal(CliEnvironment environment) => ReferenceEquals(environment.Error, Console.Error) && !Console.IsErrorRedirected;
}
