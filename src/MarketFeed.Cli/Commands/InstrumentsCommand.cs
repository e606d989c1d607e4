using System.CommandLine;
using System.Globalization;
using MarketFeed.Cli.Output;
using MarketFeed.Instruments;
using MarketFeed.Serialization;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed instruments search TEXT [--feed] [--limit N] [--format table|jsonl]</c></summary>
internal static class InstrumentsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var text = new Argument<string[]>("text") { Description = "Words to match, e.g. NIFTY 24000 CE", Arity = ArgumentArity.OneOrMore };
        Option<string> feed = CliOptions.Feed();
        var limit = new Option<int>("--limit") { Description = "Most matches to show", DefaultValueFactory = _ => 20 };
        var format = new Option<string>("--format") { Description = "table or jsonl", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "jsonl");
        var search = new Command("search", "Resolve names like 'NIFTY 24000 CE' to instruments, best match first") { text, feed, limit, format };
        search.SetAction((parse, token) => SearchAsync(environment, string.Join(' ', parse.GetValue(text)!), parse.GetValue(feed)!, parse.GetValue(limit), parse.GetValue(format) == "jsonl", token));
        return new Command("instruments", "Look up instruments") { search };
    }

    private static async Task<int> SearchAsync(CliEnvironment environment, string text, string feed, int limit, bool jsonl, CancellationToken token)
    {
        if (limit <= 0)
        {
            throw new UsageException("--limit must be positive");
        }

        InstrumentRegistry registry = await CliHost.LoadInstrumentsAsync(environment, feed, token);
        IReadOnlyList<Instrument> found = registry.Search(text, limit, asOfUtc: environment.Time.GetUtcNow().UtcDateTime);
        if (found.Count == 0)
        {
            await environment.Error.WriteLineAsync($"marketfeed: no instrument matches '{text}' on feed {feed}");
            return 1;
        }

        if (jsonl)
        {
            var json = new JsonLines(environment.Output);
            foreach (Instrument instrument in found)
            {
                json.Write(w => InstrumentJson.Write(w, instrument));
            }

            return 0;
        }

        int width = Math.Max(6, found.Max(i => i.Symbol.Length));
        environment.Output.WriteLine($"{"SYMBOL".PadRight(width)}  {"KIND",-7}  {"EXPIRY",-10}  {"STRIKE",9}  {"LOT",5}  {"TICK",6}  NAME");
        foreach (Instrument i in found)
        {
            string strike = i.Strike.HasValue ? TickLineFormatter.Price(i.Strike, 0) : "";
            string expiry = i.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
            environment.Output.WriteLine(
                $"{i.Symbol.PadRight(width)}  {i.Kind.Lower(),-7}  {expiry,-10}  {strike,9}  {i.LotSize,5}  {i.TickSize,6}  {i.Name}");
        }

        return 0;
    }
}
