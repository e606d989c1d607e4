using System.CommandLine;
using System.Globalization;
using MarketFeed.Feeds;
using MarketFeed.Instruments;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed doctor [--feed]</c>: configuration, credentials present, instrument file, connectivity, clock.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliEnvironment environment)
    {
        Option<string> feed = CliOptions.Feed();
        var command = new Command("doctor", "Check the setup: configuration, credentials, instruments, connectivity, clock") { feed };
        command.SetAction((parse, token) => RunAsync(environment, parse.GetValue(feed)!, token));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string feedName, CancellationToken token)
    {
        CliOptions.Single(feedName, "doctor");
        var checks = new List<DoctorCheck>();
        IConfiguration configuration = CliConfiguration.Build(environment, out IReadOnlyList<string> sources);
        checks.Add(DoctorCheck.Pass("configuration", sources.Count == 0
            ? "no appsettings.json found; using defaults and MARKETFEED_ environment variables"
            : "loaded " + string.Join(", ", sources)));

        if (!environment.Catalog.TryGet(feedName, out IFeedFactory? factory))
        {
            checks.Add(DoctorCheck.Fail("feed", new UnknownFeedException(feedName, environment.Catalog.Factories.Select(f => f.Name).Order().ToList()).Message));
            return Report(environment, checks);
        }

        checks.Add(DoctorCheck.Pass("feed", $"{factory.Name}: {factory.Description}"));
        try
        {
            await using IFeed feed = factory.Create(configuration, environment.Time);
            await feed.LoadInstrumentsAsync(new InstrumentRegistry(), token);
            checks.AddRange(await feed.CheckAsync(token));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            checks.Add(DoctorCheck.Fail("feed setup", e.Message));
        }

        if (!string.Equals(factory.Name, MarketFeed.Bus.Consuming.BusFeed.FeedName, StringComparison.OrdinalIgnoreCase))
        {
            // The gateway publishes to the bus when one is configured: check the broker too.
            checks.AddRange(await MarketFeed.Bus.BusDoctor.CheckAsync(MarketFeed.Bus.BusOptions.From(configuration), token));
        }

        checks.Add(ClockCheck(environment.Time));
        return Report(environment, checks);
    }

    private static DoctorCheck ClockCheck(TimeProvider time)
    {
        DateTime utc = time.GetUtcNow().UtcDateTime;
        bool tzdata = TimeZones.Kolkata.Id == "Asia/Kolkata" && TimeZones.Kolkata.HasSameRules(TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));
        string ist = TimeZones.ToZone(utc, TimeZones.Kolkata).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        string nse = SessionCalendar.IndianEquity.IsOpen(utc) ? "open" : "closed";
        return DoctorCheck.Pass("clock", $"UTC {utc:yyyy-MM-dd HH:mm:ss}, IST {ist} (NSE {nse}); time zone data {(tzdata ? "from the OS" : "fixed-offset fallback")}");
    }

    private static int Report(CliEnvironment environment, List<DoctorCheck> checks)
    {
        int width = checks.Max(c => c.Name.Length);
        foreach (DoctorCheck check in checks)
        {
            environment.Output.WriteLine($"{(check.Passed ? "ok  " : "FAIL")}  {check.Name.PadRight(width)}  {check.Detail}");
        }

        int failed = checks.Count(c => !c.Passed);
        environment.Output.WriteLine(failed == 0 ? "all checks passed" : $"{failed} check(s) failed");
        return failed == 0 ? 0 : 1;
    }
}
