using MarketFeed.Feeds;
using MarketFeed.Hosting;

namespace MarketFeed.Cli;

/// <summary>Notices a feed that cannot authenticate, so a command waiting for its data can end instead of waiting forever.</summary>
internal static class FeedAuthWatch
{
    private static readonly TimeSpan Check = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Completes with a one-line explanation once some feed of <paramref name="host"/> has been <c>auth_failed</c> for
    /// <paramref name="wait"/> without a break (credentials rejected, then retried, still rejected); runs until cancelled otherwise.
    /// </summary>
    public static async Task<string> FailureAsync(MarketFeedHost host, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var since = new Dictionary<string, long>();
        while (true)
        {
            foreach (IFeed feed in host.Feeds)
            {
                if (feed.Health.State != FeedState.AuthFailed)
                {
                    since.Remove(feed.Name);
                    continue;
                }

                long start = since.TryGetValue(feed.Name, out long first) ? first : since[feed.Name] = time.GetTimestamp();
                if (time.GetElapsedTime(start) >= wait)
                {
                    return $"feed {feed.Name} cannot authenticate ({feed.Health.LastError ?? "credentials rejected"}); "
                        + $"fix its credentials and check with 'marketfeed doctor --feed {feed.Name}'";
                }
            }

            await Task.Delay(Check, time, cancellationToken);
        }
    }
}
