using System.CommandLine;

namespace MarketFeed.Cli;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
internal static class CliOptions
{
    public static Option<string> Feed() => new("--feed")
    {
        Description = "Feed to use: sim (default), or a configured venue",
        DefaultValueFactory = _ => "sim",
    };

    /// <summary><c>run</c>'s <c>--feed</c>: one feed or several, comma-separated; when absent, configuration <c>Feed</c>, else the simulator.</summary>
    public static Option<string?> Feeds() => new("--feed")
    {
        Description = "Feeds to run side by side, comma-separated (e.g. binance,kite); default: configuration Feed, else sim",
    };

    /// <summary>A command that runs one feed refuses a list: exit code 2 with one line saying so.</summary>
    /// <exception cref="UsageException">The feed names several.</exception>
    public static string Single(string feed, string command) =>
        feed.Contains(',', StringComparison.Ordinal)
            ? throw new UsageException($"'{command}' takes one feed, not '{feed}': run it once per feed, or serve them all with 'marketfeed run --feed {feed}'")
            : feed;

    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Show stack traces on errors",
        Recursive = true,
    };
}
