using MarketFeed.Feeds;
using MarketFeed.Simulation;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Hosting;

/// <summary>Which feeds a host runs (<c>binance,kite</c>) and which of them poll over REST on purpose (<c>Feeds:NAME:Mode</c>).</summary>
public static class FeedModes
{
    /// <summary>The feed names of a comma-separated list, each once.</summary>
    /// <exception cref="FeedConfigurationException">No name, or one listed twice.</exception>
    public static IReadOnlyList<string> Names(string list)
    {
        string[] names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new FeedConfigurationException("no feed named: give one or more feed names separated by commas, e.g. binance,kite");
        }

        if (names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FeedConfigurationException($"feed '{twice.Key}' is listed twice: each feed runs once");
        }

        return names;
    }

    /// <summary>
    /// The feeds among <paramref name="names"/> to run in polling mode: <c>Feeds:NAME:Mode</c> is <c>Polling</c>
    /// (<c>Stream</c>, the default, streams with REST polling only as failover), or named in <paramref name="also"/>.
    /// </summary>
    /// <exception cref="FeedConfigurationException">A mode that is neither.</exception>
    public static IReadOnlyCollection<string> Polling(IConfiguration configuration, IReadOnlyList<string> names, IReadOnlyCollection<string> also)
    {
        var polling = new HashSet<string>(also, StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            string? mode = configuration[$"Feeds:{name}:Mode"];
            if (string.Equals(mode, nameof(FeedTransport.Polling), StringComparison.OrdinalIgnoreCase))
            {
                polling.Add(name);
            }
            else if (!string.IsNullOrWhiteSpace(mode) && !string.Equals(mode, nameof(FeedTransport.Stream), StringComparison.OrdinalIgnoreCase))
            {
                throw new FeedConfigurationException($"Feeds:{name}:Mode is '{mode}': use Stream (the default) or Polling");
            }
        }

        return polling;
    }

    /// <summary>Feed names are unique, and only feeds that can poll are set to.</summary>
    /// <exception cref="FeedConfigurationException">A feed twice, polling asked of the simulator, or of a feed not run.</exception>
    internal static void Validate(IReadOnlyList<IFeed> feeds, IReadOnlyCollection<string> polling)
    {
        if (feeds.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FeedConfigurationException($"feed '{twice.Key}' is listed twice: each feed runs once");
        }

        foreach (string name in polling)
        {
            IFeed? feed = feeds.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (feed is null)
            {
                throw new FeedConfigurationException($"feed '{name}' is set to poll but is not run (running: {string.Join(", ", feeds.Select(f => f.Name))})");
            }

            if (feed is SimulatorFeed)
            {
                throw new FeedConfigurationException($"feed '{name}' is the simulator, which has no REST to poll: remove Feeds:{name}:Mode");
            }
        }
    }
}
