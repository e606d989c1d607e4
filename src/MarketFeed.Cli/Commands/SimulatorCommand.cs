using System.CommandLine;
using System.Globalization;
using MarketFeed.Simulation.Realism;

namespace MarketFeed.Cli.Commands;

/// <summary><c>marketfeed simulator report [--seed N] [--date YYYY-MM-DD] [--minutes N] [--rate N]</c>: the realism table of docs/simulator.md.</summary>
internal static class SimulatorCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var defaults = new RealismOptions();
        var seed = new Option<int>("--seed") { Description = "Simulator seed", DefaultValueFactory = _ => defaults.Seed };
        var date = new Option<string>("--date") { Description = "NSE trading day simulated (YYYY-MM-DD)", DefaultValueFactory = _ => defaults.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        var minutes = new Option<int>("--minutes") { Description = "Minutes of session simulated from the 09:15 open", DefaultValueFactory = _ => defaults.Minutes };
        var rate = new Option<double>("--rate") { Description = "Ticks per instrument per second", DefaultValueFactory = _ => defaults.TicksPerInstrumentPerSecond };
        var report = new Command("report", "Simulate a trading day in virtual time and print the realism table (Markdown): volatility, spreads, tick rates, parity, outliers")
        {
            seed, date, minutes, rate,
        };
        report.SetAction(parse =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
            {
                throw new UsageException("--date must be YYYY-MM-DD, e.g. 2026-11-20");
            }

            if (!MarketFeed.Instruments.SessionCalendar.IndianEquity.WithHolidays(MarketFeed.Instruments.NseHolidays.Year2026).IsTradingDay(day))
            {
                throw new UsageException($"--date {day:yyyy-MM-dd} is not an NSE trading day (weekend or holiday); pick a weekday such as 2026-11-20");
            }

            if (parse.GetValue(minutes) is < 2 or > 375)
            {
                throw new UsageException("--minutes must be 2 to 375 (one NSE session)");
            }

            if (parse.GetValue(rate) is < 1 or > 20)
            {
                throw new UsageException("--rate must be 1 to 20 ticks per instrument per second");
            }

            RealismReport result = RealismRun.Run(new RealismOptions
            {
                Seed = parse.GetValue(seed), Date = day, Minutes = parse.GetValue(minutes), TicksPerInstrumentPerSecond = parse.GetValue(rate),
            });
            environment.Output.Write(result.ToMarkdown());
            return 0;
        });
        return new Command("simulator", "About the built-in simulator") { report };
    }
}
