using System.CommandLine;
using System.Globalization;
using MarketFeed.Candles;
using MarketFeed.Cli.Output;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Serialization;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed candles SYMBOL --interval 5m [--count N] [--format table|csv|jsonl] [--seconds S]</c></summary>
internal static class CandlesCommand
{
    private static readonly TimeSpan HistoryLoadWait = TimeSpan.FromSeconds(60);

    public static Command Create(CliEnvironment environment)
    {
        var symbol = new Argument<string>("symbol") { Description = "Canonical symbol, e.g. NSE:RELIANCE" };
        var interval = new Option<string>("--interval") { Description = "1s-59s, 1m-1440m, 1h-24h or 1d", Required = true };
        var count = new Option<int>("--count") { Description = "Closed candles to show besides the forming one", DefaultValueFactory = _ => 20 };
        var seconds = new Option<double>("--seconds") { Description = "Collect live ticks for this long before printing", DefaultValueFactory = _ => 0 };
        var format = new Option<string>("--format") { Description = "table, csv or jsonl", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "jsonl");
        Option<string> feed = CliOptions.Feed();
        var command = new Command("candles", "Candles for one instrument: stored and venue history, then live bars (each says its origin)") { symbol, interval, count, seconds, format, feed };
        command.SetAction((parse, token) => RunAsync(
            environment, parse.GetValue(symbol)!, parse.GetValue(interval)!, parse.GetValue(count), parse.GetValue(seconds), parse.GetValue(format)!, parse.GetValue(feed)!, token));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string symbol, string intervalText, int count, double seconds, string format, string feed, CancellationToken token)
    {
        if (!CandleInterval.TryParse(intervalText, out CandleInterval interval, out string? error))
        {
            throw new UsageException(error);
        }

        if (count < 0 || seconds < 0)
        {
            throw new UsageException("--count and --seconds cannot be negative");
        }

        await using MarketFeedHost host = await CliHost.StartWithCandleStoreAsync(environment, feed, "candles", token);
        Instrument instrument = host.Resolve(symbol);
        await using MarketSubscription subscription = host.Subscribe([instrument.Symbol], new SubscriberOptions { Ticks = false, CandleIntervals = [interval] });
        await host.Hub.EnsureCandlesAsync(instrument.Id, interval);
        if (seconds > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), environment.Time, token);
        }

        // A command runs once: wait for the whole history load (the venue's rate limits may make it slower than the API's wait).
        CandleSnapshot snapshot = await host.Hub.GetCandlesAsync(instrument.Id, interval, count, TimeSpan.FromTicks(Math.Max(host.Hub.Options.Candles.HistoryWait.Ticks, HistoryLoadWait.Ticks)));
        List<Candle> candles = [.. snapshot.Closed];
        if (snapshot.Current is { } current)
        {
            candles.Add(current);
        }

        Write(environment.Output, format, candles, interval, instrument);
        if (candles.Count == 0)
        {
            SeriesLoadStatus? load = host.Hub.CandleLoads(instrument.Id).FirstOrDefault(l => l.Interval == interval);
            await environment.Error.WriteLineAsync(load?.State switch
            {
                SeriesLoadState.Failed => $"marketfeed: the {interval} history of {instrument.Symbol} could not be loaded ({load.Error}); use --seconds to collect live ticks",
                SeriesLoadState.Loading => $"marketfeed: the {interval} history of {instrument.Symbol} is still loading; try again or use --seconds",
                SeriesLoadState.Loaded => $"marketfeed: neither the store nor {instrument.Feed} has {interval} candles of {instrument.Symbol} in the last {host.Hub.Options.Candles.HistoryDays} sessions; use --seconds to collect live ticks",
                _ => $"marketfeed: no {interval} candles for {instrument.Symbol} yet ({instrument.Feed} has no history); use --seconds to collect live ticks first",
            });
        }

        return 0;
    }

    private static void Write(TextWriter output, string format, List<Candle> candles, CandleInterval interval, Instrument instrument)
    {
        int decimals = TickLineFormatter.Decimals(instrument.TickSize);
        switch (format)
        {
            case "jsonl":
                var json = new JsonLines(output);
                foreach (Candle candle in candles)
                {
                    json.Write(w => CandleJson.Write(w, in candle, interval, instrument));
                }

                break;
            case "csv":
                output.WriteLine("start,open,high,low,close,volume,ticks,closed,origin");
                foreach (Candle c in candles)
                {
                    output.WriteLine(string.Join(',', JsonValues.FormatTime(c.Start, instrument.Calendar.Zone), c.Open, c.High, c.Low, c.Close, c.Volume, c.Ticks.ToString(CultureInfo.InvariantCulture), c.IsClosed ? "true" : "false", c.OriginName));
                }

                break;
            default:
                output.WriteLine($"{instrument.Symbol} {interval.Label}");
                string startFormat = interval.Length < TimeSpan.FromMinutes(1) ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm";
                output.WriteLine($"{"START",-19}  {"OPEN",12}  {"HIGH",12}  {"LOW",12}  {"CLOSE",12}  {"VOLUME",14}  {"TICKS",6}  {"ORIGIN",-10}  STATE");
                foreach (Candle c in candles)
                {
                    string start = TimeZones.ToZone(c.Start, instrument.Calendar.Zone).ToString(startFormat, CultureInfo.InvariantCulture);
                    string state = (c.IsFlat ? "flat" : c.IsClosed ? "closed" : "forming") + (c.IsPartial ? " partial" : "");
                    output.WriteLine(
                        $"{start,-19}  {TickLineFormatter.Price(c.Open, decimals),12}  {TickLineFormatter.Price(c.High, decimals),12}  {TickLineFormatter.Price(c.Low, decimals),12}  {TickLineFormatter.Price(c.Close, decimals),12}  {c.Volume,14}  {c.Ticks,6}  {c.OriginName,-10}  {state}");
                }

                break;
        }
    }
}
