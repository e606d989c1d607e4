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

    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Show stack traces on errors",
        Recursive = true,
    };
}
