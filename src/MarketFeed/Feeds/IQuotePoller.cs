using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// REST fallback for when the stream is down: the latest quotes of some instruments as ticks with
/// <see cref="TickSource.Poll"/>. Implementations honour the venue's rate limit themselves.
/// </summary>
public interface IQuotePoller
{
    /// <summary>How often one poll round may run (the venue's quote rate limit).</summary>
    TimeSpan Interval { get; }

    Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken);
}
