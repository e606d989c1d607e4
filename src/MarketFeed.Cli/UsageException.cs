namespace MarketFeed.Cli;

/// <summary>Bad usage or bad input: exit code 2 and one line saying what to fix.</summary>
public sealed class UsageException(string message) : Exception(message);
