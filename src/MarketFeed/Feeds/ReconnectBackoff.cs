namespace MarketFeed.Feeds;

/// <summary>
/// Delays between reconnect attempts: the first retry is immediate (most drops are blips), then exponential from
/// <see cref="FeedSessionOptions.ReconnectBaseDelay"/> doubling up to <see cref="FeedSessionOptions.ReconnectMaxDelay"/>,
/// each with ±20 % jitter so many connections (or gateways) never retry in lockstep.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public int Attempt { get; private set; }

    public TimeSpan Next()
    {
        int attempt = Attempt++;
        if (attempt == 0)
        {
            return TimeSpan.Zero;
        }

        double exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        double capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        double jitter = 0.8 + (_random.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(capped * jitter, maxDelay.TotalMilliseconds));
    }

    /// <summary>Back to an immediate first retry (after a connection that actually worked).</summary>
    public void Reset() => Attempt = 0;
}
