using System.Globalization;
using MarketFeed.Feeds;
using MarketFeed.Instruments;

namespace MarketFeed.Cli.Output;

/// <summary>What a user must know before the first tick (on stderr): that a feed is simulated, and when a closed market opens.</summary>
internal static class MarketNotices
{
    public static void Write(TextWriter error, IReadOnlyList<IFeed> feeds, IReadOnlyList<Instrument> instruments, DateTime nowUtc)
    {
        foreach (IFeed feed in feeds.Where(f => f.Health.Simulated is not null && instruments.Any(i => i.Feed == f.Name)))
        {
            error.WriteLine($"marketfeed: feed {feed.Name} is simulated ({feed.Health.Simulated}): its prices are not a real market's");
        }

        foreach (IGrouping<SessionCalendar, Instrument> closed in instruments.Where(i => !i.Calendar.IsOpen(nowUtc)).GroupBy(i => i.Calendar))
        {
            SessionWindow next = closed.Key.CurrentOrNextSession(nowUtc);
            DateTimeOffset local = TimeZoneInfo.ConvertTime(new DateTimeOffset(next.OpenUtc, TimeSpan.Zero), closed.Key.Zone);
            TimeSpan wait = next.OpenUtc - nowUtc;
            string symbols = string.Join(", ", closed.Select(i => i.Symbol));
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"marketfeed: market closed for {symbols}; it opens {local:ddd yyyy-MM-dd HH:mm} (UTC{local:zzz}), in {Span(wait)}; waiting for ticks"));
        }
    }

    private static string Span(TimeSpan wait) =>
        wait.TotalDays >= 1 ? $"{(int)wait.TotalDays}d {wait.Hours}h {wait.Minutes}m"
        : wait.TotalHours >= 1 ? $"{wait.Hours}h {wait.Minutes}m"
        : $"{Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))}m";
}
