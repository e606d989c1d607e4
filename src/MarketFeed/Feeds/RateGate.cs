namespace MarketFeed.Feeds;

/// <summary>
/// At most one request per <see cref="Interval"/> through this gate, callers served in arrival order. Each caller
/// reserves the next free slot under a lock and then waits for it outside, so concurrent callers queue up instead of
/// bursting — the venue never sees more than its documented rate, whatever the load.
/// </summary>
public sealed class RateGate(double perSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _nextFree = DateTimeOffset.MinValue;

    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(1 / Math.Max(0.001, perSecond));

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset slot;
        lock (_gate)
        {
            slot = _nextFree > now ? _nextFree : now;
            _nextFree = slot + Interval;
        }

        TimeSpan wait = slot - now;
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }
}
